"""A loader killed (SIGKILL, no chance to clean up) while staging, while building the model or
while its workers build the search index leaves nothing behind: its worker processes exit by
themselves, its sessions end, and the next load succeeds without any manual step, recording
the killed one as failed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.cli import run_cli
from tests.support.killing import kill, start_loader, wait_for_point, wait_until_gone
from tests.support.pg import ThrowawayDatabases

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def supply(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("killed") / "supply"
    made = run_cli("generate", "--addresses", "20000", "--seed", "3", "--out", str(root))
    assert made.returncode == 0, made.stderr
    return root


@pytest.fixture
def database(databases: ThrowawayDatabases) -> Iterator[str]:
    with databases.fresh() as url:
        yield url


def _statuses(url: str) -> list[tuple[str, str | None]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT status, message FROM data_versions ORDER BY id").fetchall()
    return [(row[0], row[1]) for row in rows]


@pytest.mark.parametrize("point", ["staging", "model", "index"])
def test_a_loader_killed_leaves_no_process_or_session_and_the_next_load_succeeds(
    database: str, supply: Path, tmp_path: Path, point: str
) -> None:
    args = ("addressbase", str(supply), "--rejects-dir", str(tmp_path))
    loader = start_loader(database, *args)
    wait_for_point(database, loader, point, timeout=120)
    kill(loader)
    processes, sessions = wait_until_gone(database, loader.pid)
    assert processes == [], f"processes of the killed load still running: {processes}"
    assert sessions == 0, "sessions of the killed load are still open"
    again = run_cli(*("load", *args), env={"DATABASE_URL": database}, timeout=300)
    assert again.returncode == 0, again.stderr
    killed, next_load = _statuses(database)
    assert killed == ("failed", "interrupted before it finished")
    assert next_load[0] == "live"


def test_the_next_load_ends_sessions_a_killed_load_left_holding_its_tables(
    database: str, supply: Path, tmp_path: Path
) -> None:
    """As a worker orphaned by an older loader would: a session of an earlier load idle in a
    transaction with a lock on a leftover table copy. The next load ends it and loads."""
    name = "address-lookup load:addresses index-worker"
    with psycopg.connect(database, application_name=name) as orphan:
        orphan.execute("CREATE TABLE addresses_next (LIKE addresses)")
        orphan.commit()
        orphan.execute("SELECT count(*) FROM addresses_next")  # holds it, idle in transaction
        args = ("load", "addressbase", str(supply), "--rejects-dir", str(tmp_path))
        done = run_cli(*args, env={"DATABASE_URL": database}, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "ended 1 sessions, dropped 1 unfinished tables" in " ".join(done.stdout.split())
        assert _gone(orphan), "the orphaned session was ended"


def _gone(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False
