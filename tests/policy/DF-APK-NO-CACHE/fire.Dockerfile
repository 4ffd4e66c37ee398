FROM alpine:3.20
RUN apk update && apk add curl=8.9.1-r1
RUN apk add --virtual .build-deps gcc=13.2.1_git20240309-r0
