# Root only for the installation step, then back to the application user.
FROM debian:12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311 && rm -rf /var/lib/apt/lists/*
USER 10001:10001
CMD ["/app"]
