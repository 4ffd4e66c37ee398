FROM ubuntu AS build
RUN echo build > /out
FROM ghcr.io/acme/runtime
COPY --from=build /out /out
