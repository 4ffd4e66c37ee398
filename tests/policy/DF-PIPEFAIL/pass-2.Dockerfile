FROM debian:12-slim
RUN set -euxo pipefail; curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
RUN ["/bin/bash", "-o", "pipefail", "-c", "wget -qO- https://example.com/b.tgz | tar -xz"]
RUN curl -fsSLo /tmp/c.tgz https://example.com/c.tgz && tar -xzf /tmp/c.tgz -C /opt
# Not a download: out of scope of this rule.
RUN ps aux | grep node
