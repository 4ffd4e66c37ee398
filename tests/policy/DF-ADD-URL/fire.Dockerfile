FROM debian:12-slim
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD --chmod=755 https://example.com/install.sh /tmp/install.sh
