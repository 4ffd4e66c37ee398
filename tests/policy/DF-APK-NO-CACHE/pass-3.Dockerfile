# Package commands inside quoted strings, comments and here-document bodies are text, not commands.
FROM alpine:3.20
RUN echo "apk add curl" > /notes.txt
RUN printf 'apk add %s\n' curl jq > /hint.txt
RUN echo "run: apk add curl; then clean up" | tee /readme
RUN echo 'if missing: apk add curl' \
    && echo "or: apk add jq" >> /readme   # apk add git
RUN echo "${HINT:-"missing; apk add curl"}" >> /readme
RUN echo "`printf '%s' "; apk add jq"`" >> /readme
RUN cat > /usr/local/bin/setup.sh <<'EOF_SCRIPT'
apk add curl
EOF_SCRIPT
RUN ["echo", "apk add curl"]
RUN ["sh", "-c", "echo 'apk add curl' > /notes2.txt"]
