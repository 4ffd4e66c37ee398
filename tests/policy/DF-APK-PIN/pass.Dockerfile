FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev~1.2
RUN apk add --no-cache --repository https://dl-cdn.alpinelinux.org/alpine/edge/testing hello=1.0-r0
RUN apk add --no-cache --allow-untrusted /tmp/pkgs/tool-1.0-r0.apk
RUN apk del .build-deps
