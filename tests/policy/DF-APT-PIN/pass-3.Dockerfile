# Package commands inside quoted strings, comments and here-document bodies are text, not commands.
FROM debian:12-slim
RUN echo "apt-get install curl" > /notes.txt
RUN printf 'apt-get install %s\n' curl jq > /hint.txt
RUN echo "run: apt-get update && apt-get install -y curl; then clean up" | tee /readme
RUN echo 'if missing: apt-get install curl' \
    && echo "or: sudo apt-get install jq" >> /readme   # apt-get install git
RUN echo "${HINT:-"missing; apt-get install curl"}" >> /readme
RUN echo "`printf '%s' "; apt-get install jq"`" >> /readme
RUN cat > /usr/local/bin/setup.sh <<'EOF_SCRIPT'
apt-get install -y curl
EOF_SCRIPT
RUN ["echo", "apt-get install curl"]
RUN ["sh", "-c", "echo 'apt-get install curl' > /notes2.txt"]
