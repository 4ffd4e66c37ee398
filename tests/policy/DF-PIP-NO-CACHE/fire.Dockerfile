FROM python:3.12-slim
RUN pip install --no-compile flask==3.0.3
RUN python3 -m pip install -r requirements.txt
