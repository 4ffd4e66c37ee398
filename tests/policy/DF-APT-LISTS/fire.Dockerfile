FROM debian:12-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5

FROM base
RUN apt-get update && apt-get install -y --no-install-recommends jq=1.6-2.1 && apt-get clean
USER 10001
