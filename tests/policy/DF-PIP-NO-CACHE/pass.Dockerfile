FROM python:3.12-slim AS build
RUN pip install --no-cache-dir flask==3.0.3
RUN PIP_NO_CACHE_DIR=1 pip install gunicorn==22.0.0
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt

FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
RUN pip install uvicorn==0.30.1
