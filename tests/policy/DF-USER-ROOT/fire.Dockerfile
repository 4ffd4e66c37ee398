FROM debian:12-slim
RUN useradd --uid 10001 app
USER app
RUN apt-get update
USER root
CMD ["/usr/local/bin/app"]
