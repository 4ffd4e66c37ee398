# The build stage is not a base of the final image: its apt lists never reach it.
FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3

FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends jq=1.6-2.1
COPY --from=build /usr/bin/gcc /usr/local/bin/gcc
