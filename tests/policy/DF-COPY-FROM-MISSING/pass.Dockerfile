FROM golang:1.22 AS Builder
RUN go build -o /out/app ./...
FROM node:20-slim AS assets
RUN npm run build
FROM debian:12-slim
COPY --from=builder /out/app /usr/local/bin/app
COPY --from=1 /dist /srv/www
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/nginx.conf
COPY --from=ghcr.io/acme/certs /certs /certs
ARG TOOLS_IMAGE=acme/tools:1.0
COPY --from=$TOOLS_IMAGE /bin/tool /usr/local/bin/tool
