FROM python:3.12-slim AS build
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=build /wheels /wheels
