FROM node:20 AS build
RUN npm ci
FROM golang:1.22 AS Build
RUN go build ./...
FROM debian:12-slim
COPY --from=build /app /app
