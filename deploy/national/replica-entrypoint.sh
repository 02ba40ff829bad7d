#!/usr/bin/env bash
# The replica's entrypoint: on first start (an empty data folder) copy the primary with
# pg_basebackup -R, which writes standby.signal and primary_conninfo (with the slot), then start
# PostgreSQL through the image's own entrypoint, which finds the data folder made and runs it as
# a hot standby. Later starts go straight to the image's entrypoint and stream from where they
# stopped.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready -h "$PRIMARY_HOST" -U replicator -d postgres; do sleep 2; done
  conninfo="host=$PRIMARY_HOST port=5432 user=replicator password=$REPLICATION_PASSWORD"
  gosu postgres pg_basebackup -d "$conninfo" -D "$PGDATA" -R -X stream \
    -S "$REPLICATION_SLOT" -c fast --progress
fi
exec docker-entrypoint.sh "$@"
