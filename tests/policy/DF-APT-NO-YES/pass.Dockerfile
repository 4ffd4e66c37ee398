FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get -qq install --no-install-recommends jq=1.6-2.1 && rm -rf /var/lib/apt/lists/*
RUN apt-get -yq install --no-install-recommends git=1:2.39.2-1.1
RUN apt-get install --assume-yes --no-install-recommends make=4.3-4.1
RUN apt-get -o APT::Get::Assume-Yes=true install --no-install-recommends gcc=4:12.2.0-3
# Not an install, and an install in a string:
RUN apt-get update
RUN echo "apt-get install curl" > /notes.txt
