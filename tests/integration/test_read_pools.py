"""Where a request reads, over real HTTP on a real PostGIS: one connection and one snapshot per
request, the pools in /readyz and /metrics, and a read replica that is down at start or never
answers delaying nothing (reads go to the primary). The real streaming replica is in
test_replica_live.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from service.api.deps import Db
from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.replica import reads_by_pool
from tests.support.server import KEYS_OPTIONAL, live_server


def _app(database_url: str, read_urls: str) -> FastAPI:
    db = DatabaseSettings(
        DATABASE_URL=database_url, DATABASE_READ_URLS=read_urls, replica_check_s=0.2
    )
    app = create_app(Settings(db=db, tenancy=KEYS_OPTIONAL))

    @app.get("/probe/connection")
    async def probe(db: Db) -> dict[str, object]:
        """Two borrowings in one request, as search makes: which backend, which snapshot."""
        async with db.connection() as conn:
            first = await conn.fetchrow(
                "SELECT pg_backend_pid() AS pid, current_setting('transaction_isolation') AS iso,"
                " current_setting('transaction_read_only') AS ro, now() AS began"
            )
        async with db.connection() as conn:
            second = await conn.fetchrow("SELECT pg_backend_pid() AS pid, now() AS began")
        assert first is not None and second is not None
        same = first["pid"] == second["pid"] and first["began"] == second["began"]
        return {"same_connection_and_transaction": same, "iso": first["iso"], "ro": first["ro"]}

    return app


@contextmanager
def _serve(database_url: str, read_urls: str = "") -> Iterator[str]:
    with live_server(_app(database_url, read_urls)) as base:
        yield base


def _pools(base: str) -> dict[str, dict[str, object]]:
    return {pool["name"]: pool for pool in httpx.get(f"{base}/readyz").json()["pools"]}


def test_without_replicas_the_primary_serves_every_read_on_one_connection(
    database_url: str,
) -> None:
    with _serve(database_url) as base:
        before = reads_by_pool(base)
        (primary,) = _pools(base).values()
        assert (primary["name"], primary["in_rotation"]) == ("primary", True)
        assert primary["reason"] == "all reads"
        probe = httpx.get(f"{base}/probe/connection").json()
        assert probe == {
            "same_connection_and_transaction": True,
            "iso": "repeatable read",
            "ro": "on",
        }
        assert httpx.get(f"{base}/v1/addresses/1").status_code == 404
        assert delta(before, reads_by_pool(base))["primary"] >= 2


def test_a_replica_that_never_answers_delays_nothing_and_stays_out(
    database_url: str, tmp_path: Path
) -> None:
    nowhere = f"postgresql://postgres@/address_lookup?host={tmp_path}"
    with _serve(database_url, nowhere) as base:
        before = reads_by_pool(base)
        pools = _pools(base)
        assert pools["replica1"]["in_rotation"] is False
        assert str(pools["replica1"]["reason"]).startswith("unreachable: ")
        assert pools["primary"]["in_rotation"] is True
        assert httpx.get(f"{base}/v1/addresses/1").status_code == 404  # answered, not 503
        reads = delta(before, reads_by_pool(base))
        assert reads.get("replica1", 0) == 0 and reads["primary"] >= 1


def test_a_current_read_server_takes_the_reads_in_turn(database_url: str) -> None:
    # The primary named twice as a read server: current (not in recovery, same data version),
    # so both are in rotation and the primary's pool takes no reads.
    with _serve(database_url, f"{database_url},{database_url}") as base:
        before = reads_by_pool(base)
        pools = _pools(base)
        assert [pools[name]["in_rotation"] for name in ("primary", "replica1", "replica2")] == [
            False,
            True,
            True,
        ]
        for _ in range(10):
            assert httpx.get(f"{base}/v1/addresses/1").status_code == 404
        reads = delta(before, reads_by_pool(base))
        assert reads["replica1"] >= 5 and reads["replica2"] >= 5
        assert reads.get("primary", 0) == 0


def delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """The requests each pool served between two readings of the metrics."""
    return {pool: count - before.get(pool, 0) for pool, count in after.items()}
