# `pip install --dry-run` (pip 22.2+) resolves but installs nothing.
FROM python:3.12-slim
RUN pip install --no-cache-dir --dry-run flask
RUN python3 -m pip install --no-cache-dir --dry-run requests
