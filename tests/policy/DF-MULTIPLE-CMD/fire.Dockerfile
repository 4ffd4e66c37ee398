FROM python:3.12-slim
CMD ["python", "manage.py", "migrate"]
CMD ["gunicorn", "app:wsgi"]
CMD ["gunicorn", "--workers", "4", "app:wsgi"]
