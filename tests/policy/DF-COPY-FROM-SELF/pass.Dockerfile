FROM node:20 AS build
RUN npm run build
FROM node:20-slim AS runtime
COPY --from=build /app/dist /app/dist
COPY --from=0 /app/package.json /app/
