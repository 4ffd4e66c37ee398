# The build stage ends as root, but it is not the image that runs.
FROM node:20 AS build
USER root
RUN npm ci
FROM node:20-slim
USER rootless
CMD ["node", "x.js"]
