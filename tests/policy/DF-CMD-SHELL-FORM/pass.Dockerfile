FROM node:20-slim
ENTRYPOINT ["node", "server.js"]
CMD ["--port", "8080"]
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
FROM alpine:3.20
CMD ["/bin/sh", "-c", "exec /app/run"]
