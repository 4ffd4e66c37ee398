FROM node:20 AS build
COPY --from=build /app/dist /app/dist-copy
FROM debian:12-slim
COPY --from=1 /a /b
