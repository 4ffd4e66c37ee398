# `apk add -s`/`--simulate` (a commit option of apk add) installs nothing.
FROM alpine:3.20
RUN apk add --no-cache --simulate curl
RUN apk add --no-cache -s jq
RUN apk --simulate add --no-cache git
