FROM ubuntu:24.04
RUN apt-get update && apt-get install -y curl=8.5.0-2ubuntu10.6 && rm -rf /var/lib/apt/lists/*
RUN ["apt-get", "install", "-y", "jq=1.7.1-3build1"]
