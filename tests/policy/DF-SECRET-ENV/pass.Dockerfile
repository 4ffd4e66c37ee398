FROM python:3.12-slim
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ARG NPM_TOKEN
ARG GITHUB_TOKEN=""
ENV DB_PASSWORD_FILE=/run/secrets/db_password
ENV API_TOKEN=${API_TOKEN}
ENV JWT_PUBLIC_KEY=/etc/keys/jwt.pub
ENV MONKEY=banana
RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
