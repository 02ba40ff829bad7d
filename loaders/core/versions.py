"""Data versions (epochs): every load is recorded, with its source files and checksums, its
counts and its outcome. A per-dataset advisory lock keeps two loads of one dataset apart."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from loaders.errors import CliError
from service.db.types import Connection
from service.sqlfiles import sql


@dataclass(frozen=True)
class SourceFile:
    name: str
    bytes: int
    sha256: str


def describe_source(path: Path) -> SourceFile:
    """Name, size and SHA-256 of an input file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return SourceFile(name=str(path), bytes=path.stat().st_size, sha256=digest.hexdigest())


@asynccontextmanager
async def exclusive_load(conn: Connection, dataset: str) -> AsyncIterator[None]:
    """Hold the dataset's load lock, or fail at once if another load holds it."""
    got = await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", f"load:{dataset}")
    if not got:
        raise CliError(f"another load of {dataset} is running; wait for it to finish")
    try:
        await conn.execute(
            "UPDATE data_versions SET status = 'failed', finished_at = now(), "
            "message = 'interrupted before it finished' "
            "WHERE dataset = $1 AND status = 'loading'",
            dataset,
        )
        yield
    finally:
        await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", f"load:{dataset}")


async def begin_version(
    conn: Connection, *, dataset: str, kind: str, sources: list[SourceFile]
) -> int:
    """Record a load as started; returns its version id."""
    version_id = await conn.fetchval(
        "INSERT INTO data_versions (dataset, kind, status, source_files) "
        "VALUES ($1, $2, 'loading', $3) RETURNING id",
        dataset,
        kind,
        [asdict(source) for source in sources],
    )
    return int(version_id)


_MARK_REPLACED = """
UPDATE data_versions SET status = 'replaced'
WHERE status = 'live' AND id <> $1 AND dataset = (SELECT dataset FROM data_versions WHERE id = $1)
"""


async def finish_version(
    conn: Connection,
    version_id: int,
    *,
    status: str,
    counts: dict[str, Any],
    rejects_file: Path | None,
    message: str | None = None,
    kind: str | None = None,
) -> None:
    """Record how a load ended ('live' or 'failed'), and what it turned out to be. A version
    going live marks the one it replaces (the dataset's last live one) 'replaced'."""
    if status == "live":
        await conn.execute(_MARK_REPLACED, version_id)
    await conn.execute(
        "UPDATE data_versions SET status = $2, counts = $3, rejects_file = $4, message = $5, "
        "kind = coalesce($6, kind), finished_at = now() WHERE id = $1",
        version_id,
        status,
        counts,
        str(rejects_file) if rejects_file else None,
        message,
        kind,
    )


_LIST_VERSIONS = """
SELECT id, dataset, kind, status, source_files, counts, rejects_file, message,
       started_at, finished_at
FROM data_versions ORDER BY id DESC LIMIT $1
"""


async def list_versions(conn: Connection, limit: int = 50) -> list[dict[str, Any]]:
    """The most recent loads, newest first."""
    return [dict(row.items()) for row in await conn.fetch(_LIST_VERSIONS, limit)]


@dataclass(frozen=True)
class DatasetState:
    """Where one dataset stands: its live version and what became of the others."""

    dataset: str
    live_id: int | None
    replaced: int
    failed: int
    loading: list[int]
    load_running: bool  # a load holds the dataset's lock now; else 'loading' ones were cut off
    live_kind: str | None
    live_since: datetime | None


async def datasets_now(conn: Connection) -> list[DatasetState]:
    """Every dataset ever loaded, in name order, as it stands now."""
    rows = await conn.fetch(sql(__package__, "datasets_now"))
    return [DatasetState(**dict(row.items())) for row in rows]
