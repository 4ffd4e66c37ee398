FROM debian:12-slim
# A local archive is extracted by ADD: that is what ADD is for.
ADD rootfs.tar.gz /
ADD https://example.com/tool.tar.gz /opt/
COPY app/ /opt/app/
