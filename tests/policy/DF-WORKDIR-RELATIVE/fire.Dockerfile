FROM node:20-slim
WORKDIR app
WORKDIR "src/server"
