FROM debian:12-slim
ARG TOOLS
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates=20230311 \
      curl=7.88.1-10+deb12u5 \
      ./vendor/tool_1.0_amd64.deb \
      $TOOLS \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get -t bookworm-backports install -y --no-install-recommends golang=2:1.21~2~bpo12+1
