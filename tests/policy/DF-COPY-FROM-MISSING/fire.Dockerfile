FROM golang:1.22 AS builder
RUN go build -o /out/app ./...

FROM debian:12-slim
COPY --from=build /out/app /usr/local/bin/app
COPY --from=assets /dist /srv/www
COPY --from=5 /x /x

FROM node:20 AS assets
RUN npm run build
