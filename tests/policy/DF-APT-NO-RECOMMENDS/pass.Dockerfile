FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2ubuntu10.6 && rm -rf /var/lib/apt/lists/*
RUN apt-get -o APT::Install-Recommends=false install -y jq=1.7.1-3build1
RUN apt-get remove -y curl
