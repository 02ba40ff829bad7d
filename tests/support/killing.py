"""Killing a real loader process at a chosen point of its work, and checking afterwards that
nothing of it is left: no process of its process group, no database session of any load."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psycopg

from tests.support.cli import COMMAND

LOAD_SESSIONS = "application_name LIKE 'address-lookup load:%'"
# Where a full load is, told by what its sessions run (pg_stat_activity): no hook in the code.
POINTS = {
    "staging": f"{LOAD_SESSIONS} AND state = 'active' AND query LIKE 'COPY%abp_stage%'",
    "model": f"{LOAD_SESSIONS} AND state = 'active' AND query LIKE '%INSERT INTO addresses_next%'",
    "index": "application_name LIKE 'address-lookup load:% index-worker'",
}


def start_loader(url: str, *args: str) -> subprocess.Popen[str]:
    """``address-lookup load ...`` in a process group of its own (its pid), so that every
    process it starts can be found after it is killed."""
    return subprocess.Popen(
        [COMMAND, "load", *args],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _matches(url: str, where: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {where}").fetchone()
        return int(row[0]) if row else 0


def wait_for_point(url: str, loader: subprocess.Popen[str], point: str, timeout: float) -> None:
    """Return as soon as the loader is at the point; fail if it ends or takes too long."""
    deadline = time.monotonic() + timeout
    while not _matches(url, POINTS[point]):
        assert loader.poll() is None, f"the load ended before reaching {point}: {loader.stderr}"
        assert time.monotonic() < deadline, f"the load did not reach {point} in {timeout} s"
        time.sleep(0.01)


def kill(loader: subprocess.Popen[str]) -> None:
    """SIGKILL the loader alone (not its group): its workers must notice by themselves."""
    loader.send_signal(signal.SIGKILL)
    loader.wait()


def group_processes(group: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            found.append(int(entry.name))
    return found


def leftovers(url: str, group: int) -> tuple[list[int], int]:
    """The loader's processes and the load sessions still there."""
    return group_processes(group), _matches(url, LOAD_SESSIONS)


def wait_until_gone(url: str, group: int, timeout: float = 15.0) -> tuple[list[int], int]:
    """Wait for the killed loader's processes and sessions to end; what is left at the end."""
    deadline = time.monotonic() + timeout
    left = leftovers(url, group)
    while (left[0] or left[1]) and time.monotonic() < deadline:
        time.sleep(0.1)
        left = leftovers(url, group)
    return left
