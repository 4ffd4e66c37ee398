FROM node:20-bookworm-slim
RUN npm install -g typescript pnpm@9.1.0
RUN npm i --save-dev @types/node
RUN npm install -g npm@latest
