FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir "django>=5.0,<5.1" 'celery[redis]==5.4.0' numpy~=1.26
RUN pip install --no-cache-dir --index-url https://pypi.example.com/simple internal-lib==2.1.0
RUN pip install --no-cache-dir ./dist/app-1.0-py3-none-any.whl .
RUN pip install --no-cache-dir -e .
RUN pip download flask
