# The worker is probed by the orchestrator: no image health check, on purpose.
FROM python:3.12-slim
USER 10001
HEALTHCHECK NONE
CMD ["python", "-m", "worker"]
