# The health check is inherited from the stage the final one is built FROM.
FROM node:20-slim AS base
HEALTHCHECK --interval=30s CMD ["node", "healthcheck.js"]
FROM base
USER node
CMD ["node", "server.js"]
