FROM node:20-slim
WORKDIR /app
RUN npm ci
RUN make -C native
RUN echo "cd /tmp" > /notes
# Heredoc bodies that are file contents, not scripts of this RUN:
RUN cat <<EOF > /usr/local/bin/entry.sh
#!/bin/sh
cd /srv && exec "$@"
EOF
COPY <<EOF /app/script.sh
cd /tmp
EOF
