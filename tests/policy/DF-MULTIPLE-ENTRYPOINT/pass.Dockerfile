FROM alpine:3.20 AS test
ENTRYPOINT ["/run-tests.sh"]
FROM alpine:3.20
ENTRYPOINT ["/entrypoint.sh"]
CMD ["serve"]
