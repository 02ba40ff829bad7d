"""Drills on a scratch managed cluster, with the service run by `address-lookup serve` as an
operator runs it: the database really stopped and started again under a live service, and the
roles of least privilege the cluster gives the loader and the service."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from service.db import localcluster
from tests.support.cli import COMMAND, run_cli
from tests.support.clusters import scratch_cluster
from tests.support.server import free_port, http_status, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[localcluster.LocalCluster]:
    with scratch_cluster() as scratch:
        env = {"ADDRESS_LOOKUP_DATA_DIR": str(scratch.root), "DATABASE_URL": ""}
        migrated = run_cli("db", "migrate", env=env)  # starts the cluster, as the loader
        assert migrated.returncode == 0, migrated.stderr
        yield scratch


@pytest.fixture(scope="module")
def served(cluster: localcluster.LocalCluster, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    port, log = free_port(), tmp_path_factory.mktemp("serve") / "serve.log"
    env = {
        **os.environ,
        "ADDRESS_LOOKUP_DATA_DIR": str(cluster.root),
        "DATABASE_URL": "",
        "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [COMMAND, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: http_status(f"{base}/readyz") == 200)
        yield base, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_connects_as_the_read_only_service_role(served: tuple[str, Path]) -> None:
    base, log = served
    ready = httpx.get(f"{base}/readyz").json()
    assert ready["warnings"] == [], "not a superuser"
    assert "superuser" not in log.read_text()


def test_the_service_role_reads_but_cannot_change_data(cluster: localcluster.LocalCluster) -> None:
    async def probe() -> None:
        conn = await asyncpg.connect(cluster.settings.service_url)
        try:
            assert await conn.fetchval("SELECT count(*) FROM addresses") == 0
            for statement in (
                "INSERT INTO data_versions (dataset, kind, status) VALUES ('x', 'x', 'live')",
                "INSERT INTO addresses (uprn) VALUES (1)",
                "UPDATE addresses SET uprn = 2",
                "DELETE FROM addresses",
                "DROP TABLE addresses",
                "CREATE TABLE mine (x int)",
            ):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(probe())


def test_the_loader_owns_the_schema_and_tables_it_makes_are_readable(
    cluster: localcluster.LocalCluster,
) -> None:
    async def probe() -> None:
        loader = await asyncpg.connect(cluster.settings.loader_url)
        try:
            assert not await loader.fetchval(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            )
            await loader.execute(
                "CREATE TABLE later_table (x int); INSERT INTO later_table VALUES (1)"
            )
        finally:
            await loader.close()
        service = await asyncpg.connect(cluster.settings.service_url)
        try:
            assert await service.fetchval("SELECT x FROM later_table") == 1
        finally:
            await service.close()

    asyncio.run(probe())


def test_every_route_is_503_while_the_database_is_down_and_answers_after(
    cluster: localcluster.LocalCluster, served: tuple[str, Path]
) -> None:
    base, log = served
    lookups = ["/v1/postcodes?q=FX1", "/v1/addresses/search?q=high", "/v1/areas?x=450000&y=250000"]
    assert all(httpx.get(base + path).status_code == 200 for path in lookups)
    localcluster.stop(cluster)
    try:
        for _ in range(3):
            for path in [*lookups, "/search/places/v1/uprn?uprn=1&key=x"]:
                response = httpx.get(base + path)
                assert response.status_code == 503, response.text
                assert int(response.headers["retry-after"]) > 0
                assert "service_unavailable" in response.text or "statuscode" in response.text
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"]["message"] == "Not ready: the database is unreachable"
    finally:
        localcluster.start(cluster)
    wait_until(lambda: http_status(base + lookups[0]) == 200)
    text = log.read_text()
    assert text.count("database unreachable") == 1, "one warning line per outage"
    assert "Traceback" not in text
    assert "reachable again" in text
