FROM debian:12-slim
# wget is installed (as a package name) but only curl is used.
RUN apt-get update && apt-get install -y --no-install-recommends wget=1.21.3-1+b2 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
RUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz
