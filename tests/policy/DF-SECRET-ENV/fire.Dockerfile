FROM node:20-slim
ENV NODE_ENV=production DB_PASSWORD=hunter2
ARG NPM_TOKEN=npm_0123456789abcdef
ENV API_SECRET s3cr3t-value
ENV STRIPE_KEY="sk_live_abc"
