FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends gosu=1.17-1 && rm -rf /var/lib/apt/lists/*
RUN echo "sudo is not installed" > /etc/motd
USER 10001
