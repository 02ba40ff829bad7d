"""What every stage of an address load shares: the connection, the report, the console, the
operator's options and the data version being built."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from rich.console import Console

from loaders.core.guards import ReplaceLimits
from loaders.core.guards import check_reject_rate as check_rate
from loaders.core.report import LoadReport
from loaders.core.sessions import ADDRESS_DATASET, connect_for_load
from loaders.core.swap import DEFAULT_SWAP_WAIT_S
from service.db.types import Connection

REJECTS_TABLE = "load_rejects"
# Sorts and hashes of a million rows stay in memory on the load's sessions.
LOAD_WORK_MEM = "256MB"


@dataclass(frozen=True)
class LoadOptions:
    mode: str = "auto"  # 'auto', 'full' or 'change-only'
    max_reject_rate: float = 0.001
    allow_truncated: bool = False
    limits: ReplaceLimits = field(default_factory=ReplaceLimits)
    swap_wait_s: float = DEFAULT_SWAP_WAIT_S


@dataclass
class LoadContext:
    conn: Connection
    report: LoadReport
    console: Console
    options: LoadOptions
    version_id: int
    file_names: list[str]
    warnings: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    # For second sessions and worker processes, so that work runs on both cores (None: one
    # session does everything in turn).
    database_url: str | None = None

    def stage(self, message: str) -> None:
        """One line per stage of the load, with the time since it began."""
        self.console.print(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    @contextlib.asynccontextmanager
    async def side_session(self) -> AsyncIterator[Connection | None]:
        """A second session for work that can run beside the first (both cores busy), set up
        like the first; None when the load has only one, so the caller works in turn."""
        if self.database_url is None:
            yield None
            return
        side = await connect_for_load(self.database_url, ADDRESS_DATASET, "side")
        try:
            await prepare_session(side)
            yield side
        finally:
            await side.close()


async def prepare_session(conn: Connection) -> None:
    """Session settings for loading, and the table that collects rows refused in SQL."""
    await conn.execute(f"SET work_mem = '{LOAD_WORK_MEM}'")
    await create_rejects_table(conn)


async def create_rejects_table(conn: Connection) -> None:
    await conn.execute(f"DROP TABLE IF EXISTS {REJECTS_TABLE}")
    await conn.execute(
        f"CREATE TEMP TABLE {REJECTS_TABLE} (file_no integer, line_no integer, "
        "record_type integer, reason text, content text)"
    )


async def collect_sql_rejects(
    ctx: LoadContext, label_of: dict[int, str], conn: Connection | None = None
) -> None:
    """Move the rows refused in SQL (on ``conn``, by default the load's own session) into the
    rejects file, in file and line order."""
    conn = conn or ctx.conn
    rows = await conn.fetch(
        f"SELECT file_no, line_no, record_type, reason, content FROM {REJECTS_TABLE} "
        "ORDER BY file_no, line_no"
    )
    for row in rows:
        ctx.report.reject(
            file=ctx.file_names[row["file_no"]],
            line=row["line_no"],
            record_type=label_of.get(row["record_type"], str(row["record_type"])),
            reason=row["reason"],
            content=row["content"],
        )
    await conn.execute(f"TRUNCATE {REJECTS_TABLE}")


def check_reject_rate(ctx: LoadContext) -> None:
    """Stop before the swap when too much of the input was refused."""
    check_rate(ctx.report, ctx.options.max_reject_rate)
