FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN npm install
RUN npm install --omit dev
RUN npm install -g typescript@5.4.5 @angular/cli@17.3.7
RUN npm install ./vendor/lib.tgz github:acme/tool#v1.2.0
