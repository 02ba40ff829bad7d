"""An address load as a recorded data version: run under the dataset's lock, its outcome (live
or failed, with the reason) recorded, and every refused row written to its rejects file. Every
address loader (AddressBase, plain CSV) runs its work through ``recorded_load``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from rich.console import Console

from loaders.core import versions
from loaders.core.context import LoadContext, LoadOptions, prepare_session
from loaders.core.report import LoadReport
from loaders.core.sessions import ADDRESS_DATASET, end_orphan_sessions
from loaders.core.sources import SourceSet
from loaders.core.staging import drop_stage_tables
from loaders.core.swap import drop_leftovers
from loaders.errors import CliError
from service.db.types import Connection

DATASET = ADDRESS_DATASET


@dataclass(frozen=True)
class LoadResult:
    version_id: int
    kind: str
    report: LoadReport
    warnings: list[str]


LoadBody = Callable[[LoadContext, SourceSet], Awaitable[str]]


async def recorded_load(
    conn: Connection,
    sources: SourceSet,
    options: LoadOptions,
    console: Console,
    rejects: Path,
    *,
    kind: str,
    body: LoadBody,
    database_url: str | None = None,
) -> LoadResult:
    """Run an address load under the dataset's lock, as a data version with a rejects file."""
    async with versions.exclusive_load(conn, DATASET):
        await _clean_up_after_killed_loads(conn, console)
        described = [versions.describe_source(path) for path in sources.files]
        version_id = await versions.begin_version(
            conn, dataset=DATASET, kind=kind, sources=described
        )
        rejects_path = rejects / f"addresses-v{version_id}.csv"
        with LoadReport(rejects_path) as report:
            names = [source.name for source in sources.sources]
            ctx = LoadContext(
                conn, report, console, options, version_id, names, database_url=database_url
            )
            ctx.warnings.extend(f"skipped {name}" for name in sources.skipped)
            kind = await _run_recorded(ctx, sources, kind, body)
    return LoadResult(version_id, kind, report, ctx.warnings)


async def _clean_up_after_killed_loads(conn: Connection, console: Console) -> None:
    """End the sessions and drop the table copies an earlier, killed load left behind (this
    load holds the dataset's lock, so no running load owns them)."""
    ended = await end_orphan_sessions(conn, DATASET)
    dropped = await drop_leftovers(conn)
    if ended or dropped:
        console.print(
            f"cleaned up after an earlier load: ended {len(ended)} sessions, "
            f"dropped {len(dropped)} unfinished tables"
        )


async def _run_recorded(ctx: LoadContext, sources: SourceSet, kind: str, body: LoadBody) -> str:
    """Run the load, recording its outcome (live or failed) in its data version."""
    try:
        await prepare_session(ctx.conn)
        kind = await body(ctx, sources)
    except asyncpg.DataError as error:
        await _record_failure(ctx, str(error), kind)
        raise CliError(
            f"the database refused a value ({error}); the live data is unchanged"
        ) from None
    except BaseException as error:
        await _record_failure(ctx, str(error) or type(error).__name__, kind)
        raise
    await versions.finish_version(
        ctx.conn,
        ctx.version_id,
        status="live",
        counts=ctx.report.as_json(),
        rejects_file=ctx.report.rejects_path,
        message="; ".join(ctx.warnings) or None,
        kind=kind,
    )
    await drop_stage_tables(ctx.conn)
    return kind


async def _record_failure(ctx: LoadContext, message: str, kind: str) -> None:
    """Mark the version failed and show what was read, so the operator sees why."""
    ctx.console.print(ctx.report.summary_table("Load failed: the live data is unchanged"))
    ctx.console.print(f"rejects: {ctx.report.rejects_path} ({ctx.report.rejected:,} rows)")
    if not ctx.conn.is_closed():
        await versions.finish_version(
            ctx.conn,
            ctx.version_id,
            status="failed",
            counts=ctx.report.as_json(),
            rejects_file=ctx.report.rejects_path,
            message=message,
            kind=kind,
        )
