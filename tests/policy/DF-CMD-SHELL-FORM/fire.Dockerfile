FROM node:20-slim
ENTRYPOINT node server.js
FROM python:3.12-slim
CMD gunicorn --bind 0.0.0.0:8000 app:wsgi
