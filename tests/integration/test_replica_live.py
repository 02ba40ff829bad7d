"""The service on a real streaming replica: a throwaway primary, a ``pg_basebackup -R`` hot
standby of it on its own socket, and ``address-lookup serve`` (a real uvicorn process) reading
from the standby through DATABASE_READ_URLS. Shows that lookups are read on the replica, that
loads on the primary reach the answers once replayed (and that a replica left behind leaves
rotation), and that stopping the replica under traffic fails no request."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from service.db import localcluster
from service.db.roles import SERVICE_ROLE
from service.settings import PROJECT_ROOT
from tests.support.cli import run_cli
from tests.support.loading import fetch
from tests.support.replica import (
    Standby,
    lookup_paths,
    primary_and_standby,
    primary_env,
    reads_by_pool,
    replica_state,
)
from tests.support.server import serve_process, wait_until
from tests.support.traffic import traffic

pytestmark = pytest.mark.slow

ROTATION = {
    "DB_REPLICA_CHECK_S": "0.5",
    "DB_REPLICA_MAX_BEHIND_S": "2",
    "DB_REPLICA_MAX_LAG_S": "600",  # here the data version rule is the one under test
    "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
}


def query(url: str, text: str) -> list[asyncpg.Record]:
    return asyncio.run(fetch(url, text))


def load(primary: localcluster.LocalCluster, supply: Path) -> None:
    rejects = ("--rejects-dir", str(supply / "rejects"))
    done = run_cli("load", "addressbase", str(supply), *rejects, env=primary_env(primary))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def clusters(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[localcluster.LocalCluster, Standby, Path]]:
    """The primary, loaded with 1,500 generated addresses after the standby was made (so the
    full load reached it by streaming), and the supply's folder."""
    supply = tmp_path_factory.mktemp("replica") / "full"
    made = run_cli("generate", "--addresses", "1500", "--seed", "4", "--out", str(supply))
    assert made.returncode == 0, made.stderr
    root = PROJECT_ROOT / ".data" / "test-clusters" / f"rep-{uuid.uuid4().hex[:6]}"
    with primary_and_standby(root) as (primary, standby):
        load(primary, supply)
        yield primary, standby, supply


@pytest.fixture(scope="module")
def serve_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve") / "serve.log"


@pytest.fixture(scope="module")
def served(
    clusters: tuple[localcluster.LocalCluster, Standby, Path], serve_log: Path
) -> Iterator[str]:
    primary, standby, _ = clusters
    log = serve_log
    env = {**primary_env(primary), **ROTATION, "DATABASE_READ_URLS": standby.url_as(SERVICE_ROLE)}
    with serve_process("", log, **env) as base:
        wait_until(lambda: replica_state(base)["in_rotation"], timeout=30)
        yield base


@pytest.fixture(scope="module")
def paths(clusters: tuple[localcluster.LocalCluster, Standby, Path]) -> list[str]:
    """Lookups that answer 200: UPRNs, postcodes, searches and typeahead."""
    return lookup_paths(clusters[0].url, 20)


def _served_by(base: str, path: str) -> tuple[int, dict[str, float]]:
    before = reads_by_pool(base)
    status = httpx.get(f"{base}{path}", timeout=10).status_code
    after = reads_by_pool(base)
    return status, {pool: after.get(pool, 0) - before.get(pool, 0) for pool in after}


def test_lookups_are_read_on_the_replica(served: str, paths: list[str], clusters: Any) -> None:
    standby: Standby = clusters[1]
    before = reads_by_pool(served)
    statuses = [httpx.get(f"{served}{path}", timeout=10).status_code for path in paths]
    after = reads_by_pool(served)
    assert set(statuses) == {200}
    assert after["replica1"] - before.get("replica1", 0) >= len(paths)
    assert after.get("primary", 0) == before.get("primary", 0)
    sessions = query(
        standby.url_as("postgres"),
        "SELECT usename FROM pg_stat_activity WHERE application_name = 'address-lookup'",
    )
    assert {row["usename"] for row in sessions} == {SERVICE_ROLE}  # the service's own pool


def test_a_load_on_the_primary_is_answered_by_the_replica_once_replayed(
    served: str, clusters: Any, tmp_path: Path
) -> None:
    primary, _, full = clusters
    new_uprn = load_changes(primary, full, tmp_path / "cou")
    wait_until(lambda: _served_by(served, f"/v1/addresses/{new_uprn}")[0] == 200, timeout=30)
    status, reads = _served_by(served, f"/v1/addresses/{new_uprn}")
    assert (status, reads["replica1"], reads.get("primary", 0)) == (200, 1, 0)
    # The pool's state is refreshed by the periodic replica check: within one interval.
    newest = newest_version(primary)
    wait_until(lambda: replica_state(served)["data_version"] == newest, timeout=30)


def test_a_replica_left_behind_leaves_rotation_and_returns_when_it_catches_up(
    served: str, paths: list[str], clusters: Any
) -> None:
    primary, standby, full = clusters
    superuser = standby.url_as("postgres")
    query(superuser, "SELECT pg_wal_replay_pause()")
    try:
        load(primary, full)  # a full reload: a new data version the replica has not replayed
        wait_until(lambda: not replica_state(served)["in_rotation"], timeout=30)
        assert "older than the primary's" in replica_state(served)["reason"]
        status, reads = _served_by(served, paths[0])
        assert (status, reads["primary"]) == (200, 1)  # the primary answers meanwhile
    finally:
        query(superuser, "SELECT pg_wal_replay_resume()")
    wait_until(lambda: replica_state(served)["in_rotation"], timeout=30)
    assert replica_state(served)["data_version"] == newest_version(primary)
    status, reads = _served_by(served, paths[0])
    assert (status, reads["replica1"]) == (200, 1)


def test_stopping_the_replica_under_traffic_fails_no_request_and_it_comes_back(
    served: str, paths: list[str], clusters: Any, serve_log: Path
) -> None:
    standby: Standby = clusters[1]
    with traffic(served, paths, threads=4) as seen:
        wait_until(lambda: seen.count() > 50, timeout=30)
        standby.stop("fast")
        wait_until(lambda: not replica_state(served)["in_rotation"], timeout=30)
        during = reads_by_pool(served)
        at_stop = seen.count()
        wait_until(lambda: seen.count() > at_stop + 100, timeout=60)
        assert reads_by_pool(served)["primary"] > during["primary"]  # the primary took over
        standby.start()
        wait_until(lambda: replica_state(served)["in_rotation"], timeout=60)
        back = reads_by_pool(served)
        wait_until(lambda: reads_by_pool(served)["replica1"] > back["replica1"] + 50, timeout=60)
    assert seen.count() > 200
    assert seen.failures == [], problems(serve_log)


def load_changes(primary: localcluster.LocalCluster, full: Path, folder: Path) -> int:
    """Generate and load a change-only supply on the primary; one UPRN it inserted."""
    before = {row["uprn"] for row in query(primary.url, "SELECT uprn FROM addresses")}
    options = ("--addresses", "20", "--seed", "7", "--cou-from", str(full))
    made = run_cli("generate", *options, "--out", str(folder))
    assert made.returncode == 0, made.stderr
    load(primary, folder)
    after = {row["uprn"] for row in query(primary.url, "SELECT uprn FROM addresses")}
    inserted = sorted(after - before)
    assert inserted, "the change-only supply inserted addresses"
    return inserted[0]


def newest_version(primary: localcluster.LocalCluster) -> int:
    rows = query(
        primary.url,
        "SELECT max(id) AS id FROM data_versions WHERE status NOT IN ('loading', 'failed')",
    )
    return int(rows[0]["id"])


def problems(log: Path) -> str:
    """The lines of the service's log that say what went wrong (for a failing assertion)."""
    lines = log.read_text().splitlines()
    wanted = [n for n, line in enumerate(lines) if '"status":5' in line or "Error" in line]
    return "\n".join(lines[n] for n in wanted[:40])
