# Multi-stage build: the build stage switches user, the final stage does not.
FROM golang:1.22-bookworm AS build
RUN useradd --uid 10001 builder
USER builder
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM debian:12-slim
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
