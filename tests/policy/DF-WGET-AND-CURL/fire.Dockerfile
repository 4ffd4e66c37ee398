FROM debian:12-slim
RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
RUN wget -qO /tmp/b.tgz https://example.com/b.tgz
