# `npm install --dry-run` reports what it would do without changing anything.
FROM node:20-slim
RUN npm install --dry-run typescript
RUN npm i -g --dry-run=true eslint
