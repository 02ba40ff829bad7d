"""A full load's swap never stalls readers: while another session holds a live table (a
pg_dump, a long report) the load retries without queueing for up to --swap-wait, then either
swaps (the session let go in time) or fails naming that session, the live data unchanged."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from tests.support.cli import COMMAND, run_cli
from tests.support.loading import ADDRESSES_FINGERPRINT, generate_supplies, loaded_database
from tests.support.pg import ThrowawayDatabases

pytestmark = pytest.mark.slow
READER = "nightly report"


@pytest.fixture(scope="module")
def supplies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate_supplies(
        tmp_path_factory.mktemp("swap-supplies"), {"old": (2000, 1), "new": (2000, 2)}
    )


@pytest.fixture
def database(
    databases: ThrowawayDatabases, supplies: dict[str, Path], tmp_path: Path
) -> Iterator[str]:
    with loaded_database(databases, supplies["old"], tmp_path) as url:
        yield url


@asynccontextmanager
async def long_reader(url: str) -> AsyncIterator[asyncpg.Connection]:
    """A session that has read the live addresses and stays in its transaction, holding them
    as pg_dump would, until the caller leaves the block."""
    conn = await asyncpg.connect(url, server_settings={"application_name": READER})
    try:
        transaction = conn.transaction(isolation="repeatable_read")
        await transaction.start()
        await conn.fetchrow(ADDRESSES_FINGERPRINT)
        yield conn
        await transaction.commit()
    finally:
        await conn.close()


async def fingerprint(url: str) -> tuple[int, str]:
    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(ADDRESSES_FINGERPRINT)
        assert row is not None
        return row[0], row[1]
    finally:
        await conn.close()


def load_args(supply: Path, rejects: Path, *extra: str) -> list[str]:
    return ["load", "addressbase", str(supply), "--rejects-dir", str(rejects), *extra]


async def test_a_swap_blocked_past_swap_wait_fails_naming_the_reader(
    database: str, supplies: dict[str, Path], tmp_path: Path
) -> None:
    before = await fingerprint(database)
    async with long_reader(database) as reader:
        pid = await reader.fetchval("SELECT pg_backend_pid()")
        done = await asyncio.to_thread(
            run_cli,
            *load_args(supplies["new"], tmp_path, "--swap-wait", "2"),
            env={"DATABASE_URL": database},
        )
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert f"session pid {pid} (application '{READER}'" in message, message
    assert "--swap-wait 2 s" in message and "The live data is unchanged" in message
    assert await fingerprint(database) == before
    versions = await _versions(database)
    assert versions[0]["status"] == "failed" and "pid" in versions[0]["message"]
    assert not await _next_tables(database), "the failed load's copies are gone"


async def test_a_reader_that_lets_go_within_swap_wait_lets_the_swap_through(
    database: str, supplies: dict[str, Path], tmp_path: Path
) -> None:
    before = await fingerprint(database)
    async with long_reader(database):
        loader = start_load(database, load_args(supplies["new"], tmp_path, "--swap-wait", "120"))
        await asyncio.to_thread(_read_until, loader, "indexed every table")
        await asyncio.sleep(2.0)
        assert loader.poll() is None, "the load waits for the reader"
        # The copies, filled and indexed, are out of autovacuum's way (a worker on one would
        # hold it when the swap asks for it without waiting).
        copies = {row["tablename"] for row in await _next_tables(database)}
        assert copies and copies <= await _autovacuum_off(database), copies
        # Meanwhile other readers are never made to wait behind the swap.
        assert await asyncio.wait_for(fingerprint(database), timeout=0.5) == before
    stdout, stderr = await asyncio.to_thread(loader.communicate, timeout=120)
    assert loader.returncode == 0, stderr
    assert "swapped the new data in" in stdout and "tries)" in stdout, stdout
    assert await fingerprint(database) != before
    assert (await _versions(database))[0]["status"] == "live"
    assert not await _autovacuum_off(database), "autovacuum is on again for the live tables"


def start_load(url: str, args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [COMMAND, *args],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(process: subprocess.Popen[str], text: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if text in line:
            return
    raise AssertionError(f"the load ended without printing {text!r}: {process.stderr}")


async def _versions(url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch("SELECT status, message FROM data_versions ORDER BY id DESC")
    finally:
        await conn.close()


async def _next_tables(url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch("SELECT tablename FROM pg_tables WHERE tablename LIKE '%\\_next'")
    finally:
        await conn.close()


async def _autovacuum_off(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND 'autovacuum_enabled=false' = ANY (reloptions)"
        )
        return {row["relname"] for row in rows}
    finally:
        await conn.close()
