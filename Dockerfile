# The Address Lookup service image: stateless API replicas over PostgreSQL/PostGIS.
# DATABASE_URL must be set; the same image runs migrations and loads (see docker-compose.yml).

# GOV.UK Frontend's built styles, fonts and images for the widget's demo pages, from npm at the
# versions in the lock file. The widget itself is plain JavaScript and needs no build.
FROM node:20-bookworm-slim AS govuk-frontend
WORKDIR /build
COPY service/widget/package.json service/widget/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ADDRESS_LOOKUP_HOST=0.0.0.0 \
    ADDRESS_LOOKUP_PORT=8000 \
    ADDRESS_LOOKUP_GOVUK_FRONTEND_DIR=/app/govuk-frontend/dist

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY loaders ./loaders
COPY --from=govuk-frontend /build/node_modules/govuk-frontend/dist ./govuk-frontend/dist
RUN pip install . \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin app

USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
CMD ["address-lookup", "serve", "--workers", "2"]
