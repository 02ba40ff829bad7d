"""Metrics of the read pools: each pool's connections, whether each replica is in rotation and
why not, its replay lag and data version, how many requests read from each pool, and how many
a failing replica sent to the primary for a second run. Summed or combined over every process
of ``serve --workers N`` like the other metrics (``service.api.metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

from service.db.readpools import ReadPools

POOL_CONNECTIONS = Gauge(
    "address_lookup_db_read_pool_connections",
    "Connections held by each read pool (primary, replica1...) of all processes, by state",
    ["pool", "state"],
    multiprocess_mode="livesum",
)
IN_ROTATION = Gauge(
    "address_lookup_db_pool_in_rotation",
    "1 while every process reads from this pool (a replica in rotation; the primary while "
    "no replica is), 0 while any does not",
    ["pool"],
    multiprocess_mode="livemin",
)
REPLAY_LAG = Gauge(
    "address_lookup_db_replica_replay_lag_seconds",
    "How far each replica's replay lagged at its last check (the most any process saw)",
    ["pool"],
    multiprocess_mode="livemax",
)
POOL_DATA_VERSION = Gauge(
    "address_lookup_db_pool_data_version",
    "The newest load in effect on each pool's server at its last check (the least any process saw)",
    ["pool"],
    multiprocess_mode="livemin",
)
READS = Counter("address_lookup_db_reads_total", "Requests that read from each pool", ["pool"])
READ_RETRIES = Counter(
    "address_lookup_db_read_retries_total",
    "Requests a read replica failed that ran again on the primary",
)


def record_read_pools(reads: ReadPools | None) -> None:
    """Set the pool gauges from this process's read pools."""
    if reads is None:
        return
    for status in reads.statuses():
        POOL_CONNECTIONS.labels(status.name, "in_use").set(status.size - status.idle)
        POOL_CONNECTIONS.labels(status.name, "idle").set(status.idle)
        IN_ROTATION.labels(status.name).set(1 if status.in_rotation else 0)
        REPLAY_LAG.labels(status.name).set(status.replay_lag_s or 0.0)
        if status.data_version is not None:
            POOL_DATA_VERSION.labels(status.name).set(status.data_version)
