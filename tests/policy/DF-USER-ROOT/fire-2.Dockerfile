FROM alpine:3.20 AS build
USER 10001
RUN echo build

FROM alpine:3.20
USER 0:0
ENTRYPOINT ["/bin/true"]
