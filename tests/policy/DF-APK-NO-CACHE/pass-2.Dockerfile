# `apk add -s`/`--simulate` (a commit option of apk add) installs nothing and keeps no index.
FROM alpine:3.20
RUN apk add --simulate curl=8.9.1-r1
RUN apk add -s jq=1.7.1-r0
RUN apk --simulate add git=2.45.2-r0
