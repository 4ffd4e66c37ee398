# The final stage is built FROM a stage that already switched to an unprivileged user.
FROM node:20-bookworm-slim AS base
RUN useradd --uid 10001 app
USER 10001

FROM base AS runtime
COPY --chown=10001:10001 . /app
CMD ["node", "/app/server.js"]
