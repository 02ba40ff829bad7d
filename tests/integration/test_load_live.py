"""Loads never leave the service half-updated and never stop it answering: the service answers
from the old data during a load and from the new data right after, without a restart; a load
killed midway leaves the live data exactly as it was."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.cli import COMMAND, run_cli
from tests.support.killing import kill, start_loader, wait_until_gone
from tests.support.loading import ADDRESSES_FINGERPRINT, generate_supplies, loaded_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL, live_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def supplies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two different supplies of the same area (different seeds)."""
    return generate_supplies(
        tmp_path_factory.mktemp("supplies"), {"old": (3000, 1), "new": (20000, 2)}
    )


@pytest.fixture
def database(
    databases: ThrowawayDatabases, supplies: dict[str, Path], tmp_path: Path
) -> Iterator[str]:
    with loaded_database(databases, supplies["old"], tmp_path) as url:
        yield url


def fingerprint(url: str) -> tuple[int, str]:
    async def read() -> tuple[int, str]:
        conn = await asyncpg.connect(url)
        try:
            row = await conn.fetchrow(ADDRESSES_FINGERPRINT)
            return row[0], row[1]
        finally:
            await conn.close()

    return asyncio.run(read())


def start_load(url: str, supply: Path, rejects: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [COMMAND, "load", "addressbase", str(supply), "--rejects-dir", str(rejects)],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_service_answers_throughout_a_load_and_from_the_new_data_after(
    database: str, supplies: dict[str, Path], tmp_path: Path
) -> None:
    app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=database), tenancy=KEYS_OPTIONAL))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        postcode = client.get("/v1/addresses/search", params={"q": "high street"}).json()[
            "results"
        ][0]["postcode"]
        before = client.get(f"/v1/postcodes/{postcode}").json()["addresses"]
        loader = start_load(database, supplies["new"], tmp_path)
        answers = 0
        while loader.poll() is None:
            response = client.get(f"/v1/postcodes/{postcode}")
            assert response.status_code in (200, 404), response.text  # 404: not in the new data
            if response.status_code == 200:
                assert response.json()["addresses"], "never an empty, half-built answer"
            answers += 1
            time.sleep(0.02)
        assert loader.returncode == 0, loader.stderr
        assert answers > 10, "the load took long enough to be observed"
        after = client.get(f"/v1/postcodes/{postcode}")
    new_count, _ = fingerprint(database)
    assert new_count > 3000, "the new, larger supply is live"
    if after.status_code == 200:
        assert after.json()["addresses"] != before


def test_a_load_killed_midway_changes_nothing(
    database: str, supplies: dict[str, Path], tmp_path: Path
) -> None:
    before = fingerprint(database)
    loader = start_loader(
        database, "addressbase", str(supplies["new"]), "--rejects-dir", str(tmp_path)
    )
    time.sleep(2.0)
    assert loader.poll() is None, "still loading when killed"
    kill(loader)
    assert wait_until_gone(database, loader.pid) == ([], 0), "no process or session left"
    assert fingerprint(database) == before
    again = run_cli(
        "load",
        "addressbase",
        str(supplies["new"]),
        "--rejects-dir",
        str(tmp_path),
        env={"DATABASE_URL": database},
    )
    assert again.returncode == 0, again.stderr
    status = run_cli("status", env={"DATABASE_URL": database}).stdout
    assert "interrupted before it finished" in status
