#!/usr/bin/env bash
# Run once by the primary's postgis image when its data folder is new (after
# deploy/postgres-init.sh made the loader and service roles): a role that may only stream WAL,
# allowed in from the network with a password, and a physical replication slot per replica, so
# the primary keeps the WAL a replica has not received (up to max_slot_wal_keep_size).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'replication_password';
SELECT pg_create_physical_replication_slot('replica1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
