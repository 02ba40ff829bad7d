#!/usr/bin/env bash
# Run once by the postgis image when its data folder is new (docker-compose.yml mounts it into
# /docker-entrypoint-initdb.d): the loader's role owns the database and migrates and loads; the
# service's role only logs in (migration 0010 grants it reading and usage counting).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v loader_password="$LOADER_PASSWORD" -v service_password="$SERVICE_PASSWORD" <<'SQL'
CREATE ROLE address_lookup_loader LOGIN PASSWORD :'loader_password';
CREATE ROLE address_lookup_service LOGIN PASSWORD :'service_password';
CREATE DATABASE address_lookup OWNER address_lookup_loader;
\c address_lookup
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS intarray;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
ALTER SCHEMA public OWNER TO address_lookup_loader;
SQL
