FROM node:20-slim
RUN cd /app && npm ci
RUN <<EOF
set -e
cd frontend
npm run build
EOF
