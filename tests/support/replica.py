"""A throwaway primary and a real streaming replica of it, for the replica tests and the
reload benchmark: the primary is a managed local cluster of its own (``service.db.localcluster``
under a folder of its own), the replica a ``pg_basebackup -R`` copy of it on its own socket
that streams from it as a hot standby. Both run as the ``postgres`` user when we are root."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx

from service.db import localcluster
from service.db.clusterplace import server_user
from service.settings import LocalDatabaseSettings
from tests.support.cli import run_cli
from tests.support.loading import fetch

# What a production replica needs too (README, "Running at national scale"): feedback so that
# vacuum on the primary never removes rows a standby query still reads, and a replay delay
# longer than any request, so that a load's swap waits for running queries, never cancels them.
STANDBY_SETTINGS = {
    "hot_standby": "on",
    "hot_standby_feedback": "on",
    "max_standby_streaming_delay": "30s",
    "shared_buffers": "128MB",
}


@dataclass(frozen=True)
class Standby:
    """A streaming replica in ``root``: its data folder and its socket folder."""

    root: Path
    bin_dir: Path
    database: str

    @property
    def data_dir(self) -> Path:
        return self.root / "postgres"

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    def url_as(self, role: str) -> str:
        """The replica's database for a role (the primary's roles, copied with it)."""
        host = quote(str(self.run_dir), safe="/")
        return f"postgresql://{role}@/{self.database}?host={host}"

    def start(self) -> None:
        """Start it and wait until it accepts read-only connections."""
        log = str(self.run_dir / "postgres.log")
        _as_server(self.bin_dir / "pg_ctl", "start", "-D", str(self.data_dir), "-l", log, "-w")

    def stop(self, mode: str = "fast") -> None:
        """Stop it: ``fast`` ends its sessions at once (what an operator's restart does)."""
        _as_server(self.bin_dir / "pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w")


def _as_server(tool: Path, *args: str) -> str:
    """Run a server tool as the cluster's owner; its output, or an error with its stderr."""
    user = server_user()
    done = subprocess.run(
        [str(tool), *args],
        capture_output=True,
        text=True,
        user=user.pw_name if user else None,
        cwd="/",
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{tool.name} failed: {done.stderr.strip()}")
    return done.stdout


def _owned_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    user = server_user()
    if user:
        os.chown(path, user.pw_uid, user.pw_gid)


def make_standby(
    primary: localcluster.LocalCluster, root: Path, extra_settings: dict[str, str]
) -> Standby:
    """Copy the running primary with ``pg_basebackup -R`` into ``root`` (it writes the
    standby.signal and primary_conninfo), give it its own socket, and start it."""
    standby = Standby(root, primary.bin_dir, primary.database)
    _owned_folder(root)
    _owned_folder(standby.run_dir)
    _as_server(
        primary.bin_dir / "pg_basebackup",
        *("-D", str(standby.data_dir), "-R", "-X", "stream", "-c", "fast"),
        *("-h", str(primary.run_dir), "-U", localcluster.SUPERUSER),
    )
    settings = {
        **STANDBY_SETTINGS,
        **extra_settings,
        "unix_socket_directories": f"'{standby.run_dir}'",
    }
    lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
    config = standby.data_dir / "postgresql.auto.conf"
    config.write_text(config.read_text() + lines)
    standby.start()
    return standby


def primary_env(primary: localcluster.LocalCluster) -> dict[str, str]:
    """The environment under which commands and the service use the throwaway primary."""
    return {"ADDRESS_LOOKUP_DATA_DIR": str(primary.settings.data_dir), "DATABASE_URL": ""}


@contextmanager
def primary_and_standby(
    root: Path, standby_settings: dict[str, str] | None = None
) -> Iterator[tuple[localcluster.LocalCluster, Standby]]:
    """A fresh primary (the managed cluster's setup, in ``root/primary``) and a streaming
    replica of it (``root/replica``, with STANDBY_SETTINGS and these); both stopped and
    removed afterwards."""
    primary = localcluster.cluster_from_settings(LocalDatabaseSettings(data_dir=root / "primary"))
    standby: Standby | None = None
    try:
        migrated = run_cli("db", "migrate", env=primary_env(primary))  # starts it, as the loader
        assert migrated.returncode == 0, migrated.stderr
        standby = make_standby(primary, root / "replica", standby_settings or {})
        yield primary, standby
    finally:
        if standby is not None and (standby.data_dir / "postmaster.pid").exists():
            standby.stop("immediate")
        localcluster.stop(primary)
        shutil.rmtree(root, ignore_errors=True)


def replica_state(base: str, name: str = "replica1") -> dict[str, Any]:
    """A replica's pool as the service's /readyz shows it."""
    pools = httpx.get(f"{base}/readyz", timeout=5).json()["pools"]
    (replica,) = [pool for pool in pools if pool["name"] == name]
    return dict(replica)


def metric_values(base: str, name: str) -> dict[str, float]:
    """A metric's values from the service's /metrics, by the value of its one label (or
    under "" when it has none)."""
    page = httpx.get(f"{base}/metrics", timeout=5).text
    pattern = rf'^{name}(?:\{{\w+="([^"]*)"\}})? (\S+)$'
    return {label: float(value) for label, value in re.findall(pattern, page, re.M)}


def reads_by_pool(base: str) -> dict[str, float]:
    """How many requests read from each pool, per the service's metrics."""
    return metric_values(base, "address_lookup_db_reads_total")


def replay_conflicts(standby: Standby) -> int:
    """Queries the standby has cancelled because they conflicted with replay, ever."""
    rows = asyncio.run(fetch(standby.url_as(localcluster.SUPERUSER), _CONFLICTS))
    return int(rows[0]["n"])


_CONFLICTS = """
SELECT coalesce(sum(confl_tablespace + confl_lock + confl_snapshot + confl_bufferpin
                    + confl_deadlock), 0) AS n
FROM pg_stat_database_conflicts
"""


_SAMPLE = """
SELECT uprn, postcode, street_description FROM addresses ORDER BY md5(uprn::text) LIMIT $1
"""


async def _sample(url: str, count: int) -> list[Any]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(_SAMPLE, count))
    finally:
        await conn.close()


def lookup_paths(url: str, count: int) -> list[str]:
    """UPRN, postcode, search and typeahead lookups (all answering 200) of ``count``
    addresses spread over the database at ``url``."""
    return [
        path
        for row in asyncio.run(_sample(url, count))
        for path in (
            f"/v1/addresses/{row['uprn']}",
            f"/v1/postcodes/{row['postcode']}",
            f"/v1/addresses/search?q={row['street_description'] or ''} {row['postcode']}",
            f"/v1/addresses/autocomplete?q={(row['street_description'] or 'high st')[:6]}",
        )
    ]
