FROM debian:12-slim
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
LABEL maintainer="jane@example.com"
