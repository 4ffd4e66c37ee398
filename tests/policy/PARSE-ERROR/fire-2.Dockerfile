FROM debian:12-slim
RUN <<EOT
  apt-get update
  apt-get install -y curl
USER 10001
