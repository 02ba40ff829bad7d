"""The two commands work wherever the repository is cloned: a git clone of this checkout into a
private folder (``tempfile.mkdtemp()`` is 0700, which the ``postgres`` user cannot pass as root
runs the cluster as) starts its managed cluster, migrates it, loads a CSV and serves it, with no
setting made by hand. The clone's own code runs (PYTHONPATH points at it), with this venv's
Python for the dependencies."""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from service.db.clusterplace import SHARED_ROOT, server_user
from service.settings import PROJECT_ROOT, LocalDatabaseSettings
from tests.support.server import free_port, wait_until_ready

pytestmark = pytest.mark.slow

RUN_CLI = "import sys; from loaders.cli.app import main; sys.argv[0] = 'address-lookup'; main()"
ADDRESSES = """uprn,address,postcode,x,y
101,"1 High Street, Littleton",FX1 1AA,450010,250010
102,"2 High Street, Littleton",FX1 1AA,450020,250020
103,"3 High Street, Littleton",FX1 1AB,450030,250030
"""


@pytest.fixture(scope="module")
def clone() -> Iterator[Path]:
    """This checkout's HEAD cloned into a fresh private folder; the clone's cluster stopped and
    every file of it removed afterwards."""
    private = Path(tempfile.mkdtemp(prefix="al-clone-"))
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    target = private / "address-lookup"
    cloned = subprocess.run(
        ["git", "clone", "-q", str(PROJECT_ROOT), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert cloned.returncode == 0, cloned.stderr
    try:
        yield target
    finally:
        clone_cli(target, "db", "stop")
        shutil.rmtree(LocalDatabaseSettings(data_dir=target / ".data").root, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)


def clone_env(clone: Path) -> dict[str, str]:
    """The environment of a newcomer's shell: nothing set for this project."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADDRESS_LOOKUP_")}
    env.pop("DATABASE_URL", None)
    return {**env, "PYTHONPATH": str(clone)}


def clone_cli(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The clone's ``address-lookup`` command, run in the clone."""
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        cwd=clone,
        env=clone_env(clone),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_clone_runs_its_own_code(clone: Path) -> None:
    where = subprocess.run(
        [sys.executable, "-c", "import service.settings as s; print(s.PROJECT_ROOT)"],
        cwd=clone,
        env=clone_env(clone),
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == clone.resolve()


def test_the_clone_starts_migrates_and_loads_with_no_setting(clone: Path) -> None:
    for command in (("db", "start"), ("db", "migrate")):
        done = clone_cli(clone, *command)
        assert done.returncode == 0, done.stderr[-2000:]
    supply = clone / "addresses.csv"
    supply.write_text(ADDRESSES, encoding="utf-8")
    loaded = clone_cli(clone, "load", "csv", str(supply), "--rejects-dir", str(clone / "rejects"))
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    settings = LocalDatabaseSettings(data_dir=clone / ".data")
    assert asyncio.run(_count_addresses(settings.service_url)) == 3
    if server_user() is not None:  # root: the cluster lives where postgres can reach it
        assert settings.root.is_relative_to(SHARED_ROOT)
        assert not (clone / ".data" / "postgres").exists()


async def _count_addresses(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM addresses"))
    finally:
        await conn.close()


def test_the_clone_serves_what_it_loaded(clone: Path, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    command = [sys.executable, "-c", RUN_CLI, "serve", "--port", str(port)]
    env = {**clone_env(clone), "ADDRESS_LOOKUP_REQUIRE_KEYS": "false"}
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=clone, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, server, log)
        answer = httpx.get(f"{base}/v1/postcodes/fx11aa", timeout=10)
        assert answer.status_code == 200, answer.text
        assert sorted(a["uprn"] for a in answer.json()["addresses"]) == [101, 102]
        assert httpx.get(f"{base}/readyz").json()["warnings"] == [], "the service role"
    finally:
        server.terminate()
        server.wait(timeout=30)
