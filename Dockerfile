# The collector's image: API (default command), worker and beat run from it with other commands.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The locked dependencies first (every one pinned with its hashes, a layer that changes only with the lock),
# then the code without dependencies, migrations last: `artitec-collector migrate` finds alembic.ini in /app.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-deps .
COPY alembic.ini ./
COPY migrations ./migrations

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin artitec \
    && mkdir -p /app/var \
    && chown artitec:artitec /app/var
USER artitec

# uvicorn's --proxy-headers trusts X-Forwarded-* only from these addresses (compose sets its network).
ENV FORWARDED_ALLOW_IPS=127.0.0.1

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]

CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --proxy-headers --workers ${ARTITEC_API_WORKERS:-2}"]


# The worker's image: the same plus Debian's Chromium, which renders pages that need JavaScript
# (`docker build --target worker`); the API and beat images carry no browser.
FROM base AS worker
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*
USER artitec

# The default target (the last stage): the API.
FROM base AS api
