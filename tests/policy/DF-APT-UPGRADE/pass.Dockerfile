FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends --only-upgrade openssl=3.0.2-0ubuntu1.18 \
    && rm -rf /var/lib/apt/lists/*
RUN echo "never apt-get upgrade in a Dockerfile" > /README
