FROM debian:12-slim
MAINTAINER Jane Doe <jane@example.com>
