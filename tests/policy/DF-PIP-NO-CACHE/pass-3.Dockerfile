# Package commands inside quoted strings, comments and here-document bodies are text, not commands.
FROM python:3.12-slim
RUN echo "pip install curl" > /notes.txt
RUN printf 'pip install %s\n' curl jq > /hint.txt
RUN echo "run: pip install curl; then clean up" | tee /readme
RUN echo 'if missing: pip install curl' \
    && echo "or: pip install jq" >> /readme   # pip install git
RUN echo "${HINT:-"missing; pip install curl"}" >> /readme
RUN echo "`printf '%s' "; pip install jq"`" >> /readme
RUN cat > /usr/local/bin/setup.sh <<'EOF_SCRIPT'
pip install curl
EOF_SCRIPT
RUN ["echo", "pip install curl"]
RUN ["sh", "-c", "echo 'pip install curl' > /notes2.txt"]
