FROM nginx:1.27-alpine AS base
HEALTHCHECK CMD ["wget", "-qO-", "http://127.0.0.1/"]

FROM nginx:1.27-alpine
COPY site/ /usr/share/nginx/html/
USER nginx
