# Debian 13 (apt 2.7.8+): `apt-get dist-clean` removes the package lists, in any spelling.
FROM debian:13-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates=20250419 netbase=6.5; \
    apt-get dist-clean
RUN apt-get update && apt-get install -y --no-install-recommends curl=8.14.1-2 && apt-get -y dist-clean
RUN apt-get update && apt-get install -y --no-install-recommends jq=1.7.1-6 && apt dist-clean
RUN apt-get update && apt-get install -y --no-install-recommends tzdata=2025b-4 && apt-get distclean
# A simulated install installs nothing: no lists to remove.
RUN apt-get update && apt-get install -s gcc
RUN apt-get update && apt-get --dry-run install make
USER 10001
