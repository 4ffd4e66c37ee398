# `pip install --dry-run` (pip 22.2+) resolves but installs nothing.
FROM python:3.12-slim
RUN pip install --dry-run flask==3.0.3
RUN python3 -m pip install --dry-run --report /tmp/report.json -r requirements.txt
