FROM alpine:3.20
ENTRYPOINT ["/docker-entrypoint.sh"]
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
