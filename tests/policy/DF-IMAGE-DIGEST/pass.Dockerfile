ARG RUNTIME=gcr.io/distroless/static-debian12:nonroot
FROM golang:1.22@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 AS build
FROM build AS test
FROM scratch
FROM ${RUNTIME}
