"""``address-lookup status``: what the service is serving now (the live version of each
dataset), then every load, newest first, with how it ended."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from loaders.cli.support import out, run_async
from loaders.core.database import connect, database_url
from loaders.core.versions import DatasetState, datasets_now, list_versions
from service.settings import Settings


async def _read(url: str, limit: int) -> tuple[list[DatasetState], list[dict[str, Any]]]:
    conn = await connect(url)
    try:
        return await datasets_now(conn), await list_versions(conn, limit)
    finally:
        await conn.close()


def _totals(counts: dict[str, dict[str, int]]) -> tuple[int, int, int]:
    read = sum(c.get("read", 0) for c in counts.values())
    loaded = sum(c.get("loaded", 0) for c in counts.values())
    rejected = sum(c.get("rejected", 0) for c in counts.values())
    return read, loaded, rejected


def loading_text(state: DatasetState) -> str:
    """The versions marked loading: running now, or cut off (the next load marks them failed)."""
    if not state.loading:
        return "-"
    ids = ", ".join(str(i) for i in state.loading)
    if state.load_running:
        return f"{ids} (running now)"
    return f"{ids} (interrupted; the next load marks it failed)"


def datasets_table(states: list[DatasetState]) -> Table:
    """One row per dataset: the version served now, and what became of the others."""
    table = Table(title="Live now")
    for heading in ("dataset", "live version", "kind", "live since"):
        table.add_column(heading)
    for heading in ("replaced", "failed"):
        table.add_column(heading, justify="right")
    table.add_column("loading")
    for state in states:
        since = state.live_since.strftime("%Y-%m-%d %H:%M:%S") if state.live_since else "-"
        table.add_row(
            state.dataset,
            str(state.live_id) if state.live_id else "none",
            state.live_kind or "-",
            since,
            str(state.replaced),
            str(state.failed),
            loading_text(state),
        )
    return table


def versions_table(rows: list[dict[str, Any]]) -> Table:
    """One row per load: what, when, how long, how many rows, and how it ended (live,
    replaced by a later load, failed, or loading)."""
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
    """Say which version of each dataset (addresses; each area type and set; contacts of each
    set; postcode points) is live now, which were replaced, failed or are loading (running, or
    interrupted), then list the recent loads: source files, counts, outcome, newest first."""
    states, rows = run_async(_read, database_url(Settings()), limit)
    if not rows:
        out.print("no data has been loaded yet")
        return
    out.print(datasets_table(states))
    out.print(versions_table(rows))
    for row in rows:
        if row["status"] == "failed" and row["message"]:
            out.print(f"version {row['id']} failed: {row['message']}")
