FROM debian:12-slim
RUN apt-get update \
    && apt-get install --no-install-recommends curl=7.88.1-10+deb12u5 \
    && rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -e
apt-get update
apt-get -q install --no-install-recommends git=1:2.39.2-1.1
rm -rf /var/lib/apt/lists/*
EOF
