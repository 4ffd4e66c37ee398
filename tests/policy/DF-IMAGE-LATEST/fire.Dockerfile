FROM node:latest AS build
RUN npm ci

FROM nginx:latest
COPY --from=build /app/dist /usr/share/nginx/html
