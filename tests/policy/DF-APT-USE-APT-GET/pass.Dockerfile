FROM debian:12-slim
RUN apt-get update && apt-cache policy curl
RUN apt-key list
RUN dpkg -i /tmp/tool.deb
