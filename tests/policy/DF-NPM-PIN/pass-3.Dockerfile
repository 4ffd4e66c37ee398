# Package commands inside quoted strings, comments and here-document bodies are text, not commands.
FROM node:20-slim
RUN echo "npm install curl" > /notes.txt
RUN printf 'npm install %s\n' curl jq > /hint.txt
RUN echo "run: npm install curl; then clean up" | tee /readme
RUN echo 'if missing: npm install curl' \
    && echo "or: npm install jq" >> /readme   # npm install git
RUN echo "${HINT:-"missing; npm install curl"}" >> /readme
RUN echo "`printf '%s' "; npm install jq"`" >> /readme
RUN cat > /usr/local/bin/setup.sh <<'EOF_SCRIPT'
npm install curl
EOF_SCRIPT
RUN ["echo", "npm install curl"]
RUN ["sh", "-c", "echo 'npm install curl' > /notes2.txt"]
