"""``address-lookup status``: every load, newest first, and what the service is serving."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from loaders.cli.support import out, run_async
from loaders.core.database import connect, database_url
from loaders.core.versions import list_versions
from service.settings import Settings


async def _versions(url: str, limit: int) -> list[dict[str, Any]]:
    conn = await connect(url)
    try:
        return await list_versions(conn, limit)
    finally:
        await conn.close()


def _totals(counts: dict[str, dict[str, int]]) -> tuple[int, int, int]:
    read = sum(c.get("read", 0) for c in counts.values())
    loaded = sum(c.get("loaded", 0) for c in counts.values())
    rejected = sum(c.get("rejected", 0) for c in counts.values())
    return read, loaded, rejected


def versions_table(rows: list[dict[str, Any]]) -> Table:
    """One row per load: what, when, how long, how many rows, and how it ended."""
    table = Table(title="Data versions (newest first)")
    for heading in ("id", "dataset", "kind", "status", "started", "seconds", "files"):
        table.add_column(heading)
    for heading in ("read", "loaded", "rejected"):
        table.add_column(heading, justify="right")
    for row in rows:
        finished = row["finished_at"]
        seconds = f"{(finished - row['started_at']).total_seconds():.1f}" if finished else "-"
        read, loaded, rejected = _totals(row["counts"])
        table.add_row(
            str(row["id"]),
            row["dataset"],
            row["kind"],
            row["status"],
            row["started_at"].strftime("%Y-%m-%d %H:%M:%S"),
            seconds,
            str(len(row["source_files"])),
            f"{read:,}",
            f"{loaded:,}",
            f"{rejected:,}",
        )
    return table


def status(
    limit: Annotated[int, typer.Option(min=1, help="How many recent loads to list.")] = 20,
) -> None:
    """List the data loads (data versions): source files, counts, outcome, newest first."""
    rows = run_async(_versions, database_url(Settings()), limit)
    if not rows:
        out.print("no data has been loaded yet")
        return
    out.print(versions_table(rows))
    for row in rows:
        if row["status"] == "failed" and row["message"]:
            out.print(f"version {row['id']} failed: {row['message']}")
