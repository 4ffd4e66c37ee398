FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      curl=7.88.1-10+deb12u5 \
      git \
 && rm -rf /var/lib/apt/lists/*
