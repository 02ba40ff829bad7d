"""Build-then-swap: a full load fills ``<table>_next`` copies, indexes them like the live
tables and swaps them in within one transaction, so readers see the old data or the new, never
a mixture, and never wait more than the instant of the rename."""

from __future__ import annotations

import asyncio
import re
import time

import asyncpg

from service.db.types import Connection

NEXT = "_next"
OLD = "_old"
_SWAP_WAIT_S = 30.0
_INDEX_DEFINITION = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (?:ONLY )?(\S+) (.*)$", re.S)


def next_index_definition(definition: str, suffix: str = NEXT) -> str:
    """An index definition from pg_get_indexdef, retargeted to the table's copy."""
    match = _INDEX_DEFINITION.match(definition)
    if not match:
        raise ValueError(f"unexpected index definition: {definition}")
    unique, name, table, rest = match.groups()
    return f"CREATE {unique or ''}INDEX {name}{suffix} ON {table}{suffix} {rest}"


async def create_next(conn: Connection, table: str) -> str:
    """A fresh, empty, index-free copy of a live table's columns; returns its name."""
    await conn.execute(f"DROP TABLE IF EXISTS {table}{NEXT}")
    await conn.execute(
        f"CREATE TABLE {table}{NEXT} "
        f"(LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)"
    )
    return f"{table}{NEXT}"


async def index_names(conn: Connection, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
        table,
    )
    return [row["indexname"] for row in rows]


async def index_next(conn: Connection, table: str) -> None:
    """Give the copy every index the live table has, then fresh planner statistics."""
    rows = await conn.fetch(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
        table,
    )
    for row in rows:
        await conn.execute(next_index_definition(row["indexdef"]))
    await conn.execute(f"ANALYZE {table}{NEXT}")


async def _swap_once(conn: Connection, tables: list[str]) -> None:
    async with conn.transaction():
        # Every table at once, or none: a swap that held one table while waiting for the next
        # could deadlock with a reader holding the next and waiting for the first.
        names = ", ".join(f"{table}, {table}{NEXT}" for table in tables)
        await conn.execute(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE NOWAIT")
        for table in tables:
            old_indexes = await index_names(conn, table)
            await conn.execute(f"ALTER TABLE {table} RENAME TO {table}{OLD}")
            for index in old_indexes:
                await conn.execute(f"ALTER INDEX {index} RENAME TO {index}{OLD}")
            await conn.execute(f"ALTER TABLE {table}{NEXT} RENAME TO {table}")
            for index in old_indexes:
                await conn.execute(f"ALTER INDEX {index}{NEXT} RENAME TO {index}")
            await conn.execute(f"DROP TABLE {table}{OLD}")


async def swap_in(conn: Connection, tables: list[str]) -> None:
    """Replace each live table by its indexed copy, all in one transaction. The locks are
    asked for without waiting (NOWAIT), so readers never queue behind the swap; while a long
    query holds a live table the swap steps back and tries again, for up to _SWAP_WAIT_S."""
    deadline = time.monotonic() + _SWAP_WAIT_S
    pause = 0.05
    while True:
        try:
            await _swap_once(conn, tables)
            return
        except asyncpg.LockNotAvailableError:
            if time.monotonic() + pause > deadline:
                raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)


async def drop_next(conn: Connection, tables: list[str]) -> None:
    """Remove the copies of a load that failed (the live tables are untouched)."""
    for table in tables:
        await conn.execute(f"DROP TABLE IF EXISTS {table}{NEXT}")
