"""Build-then-swap: a full load fills ``<table>_next`` copies, indexes them like the live
tables and swaps them in within one transaction, so readers see the old data or the new, never
a mixture, and never wait more than the instant of the rename.

The swap never queues in front of readers: it asks for every lock at once with NOWAIT, in one
fixed order, and steps back (releasing whatever it got) when any table is busy, trying again
with growing pauses for as long as the operator's --swap-wait allows. A lock request that
never waits cannot be part of a deadlock, and readers never wait behind one."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from datetime import UTC, datetime, timedelta

import asyncpg

from loaders.core.sessions import CLEANUP_LOCK_TIMEOUT, describe_holders, lock_holders
from loaders.errors import CliError
from service.db.types import Connection

NEXT = "_next"
OLD = "_old"
# How long a full load waits, by default, for readers (a pg_dump, a report) to let go of the
# live tables before it gives up, leaving the live data as it was.
DEFAULT_SWAP_WAIT_S = 300.0
_FIRST_PAUSE_S = 0.05
_LONGEST_PAUSE_S = 1.0
_LONG_READER_S = 1.0
_INDEX_DEFINITION = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (?:ONLY )?(\S+) (.*)$", re.S)


class SwapBlocked(CliError):
    """The live tables stayed busy for the whole --swap-wait; the message names who held them."""


def next_index_definition(definition: str, suffix: str = NEXT) -> str:
    """An index definition from pg_get_indexdef, retargeted to the table's copy."""
    match = _INDEX_DEFINITION.match(definition)
    if not match:
        raise ValueError(f"unexpected index definition: {definition}")
    unique, name, table, rest = match.groups()
    return f"CREATE {unique or ''}INDEX {name}{suffix} ON {table}{suffix} {rest}"


# Autovacuum stays off a copy while it is built: the load analyzes it itself, and a worker
# vacuuming a copy just filled would hold it when the swap asks, without waiting, for its lock
# (a swap that waited would cancel the worker, but NOWAIT never waits): a 1,000,000-address
# load was seen retrying for 17 s. The swap turns it back on for the new live table.
_AUTOVACUUM = ("autovacuum_enabled", "toast.autovacuum_enabled")


async def create_next(conn: Connection, table: str) -> str:
    """A fresh, empty, index-free copy of a live table's columns, out of autovacuum's way
    until it is swapped in; returns its name."""
    await drop_next(conn, [table])
    await conn.execute(
        f"CREATE TABLE {table}{NEXT} "
        f"(LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED) "
        f"WITH ({', '.join(f'{option} = false' for option in _AUTOVACUUM)})"
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


def lock_order(tables: list[str]) -> list[str]:
    """Every live table and its copy, in one fixed order (by name) whatever the caller's."""
    return [name for table in sorted(set(tables)) for name in (table, f"{table}{NEXT}")]


async def swap_script(conn: Connection, tables: list[str]) -> str:
    """The whole swap as one script, sent in one round trip so that the live tables are
    locked only for as long as the server takes to rename (milliseconds), however slow the
    loader's machine: every table and copy locked at once or none, without waiting (a swap
    that held one table while waiting for the next could deadlock with a reader holding the
    next, and a waiting lock request would queue every later reader behind it); then each
    live table and its indexes renamed to _old, and each copy and its indexes to the live
    names, with autovacuum on again."""
    statements = [f"LOCK TABLE {', '.join(lock_order(tables))} IN ACCESS EXCLUSIVE MODE NOWAIT"]
    for table in sorted(set(tables)):
        old_indexes = await index_names(conn, table)
        statements.append(f"ALTER TABLE {table} RENAME TO {table}{OLD}")
        statements += [f"ALTER INDEX {index} RENAME TO {index}{OLD}" for index in old_indexes]
        statements.append(f"ALTER TABLE {table}{NEXT} RENAME TO {table}")
        statements += [f"ALTER INDEX {index}{NEXT} RENAME TO {index}" for index in old_indexes]
        statements.append(f"ALTER TABLE {table} RESET ({', '.join(_AUTOVACUUM)})")
    return ";\n".join(statements)


async def held_by_a_long_reader(conn: Connection, tables: list[str]) -> bool:
    """Whether a session known to be in a transaction for over a second holds one of the
    tables (a pg_dump, a report): then trying the locks now would only fail, after locking
    the tables before it in the order for an instant. Sessions of another role, whose times
    are hidden, do not count: the service's own queries take milliseconds."""
    since = datetime.now(UTC) - timedelta(seconds=_LONG_READER_S)
    holders = await lock_holders(conn, lock_order(tables))
    return any(holder.since is not None and holder.since < since for holder in holders)


async def swap_in(
    conn: Connection, tables: list[str], *, wait_s: float = DEFAULT_SWAP_WAIT_S
) -> int:
    """Replace each live table by its indexed copy, all in one transaction, trying without
    waiting (NOWAIT) again and again for up to ``wait_s`` seconds; returns how many tries it
    took. Raises SwapBlocked, naming the sessions holding the tables, when time runs out."""
    script = await swap_script(conn, tables)
    deadline = time.monotonic() + wait_s
    pause, tries = _FIRST_PAUSE_S, 0
    while True:
        tries += 1
        try:
            if await held_by_a_long_reader(conn, tables):
                raise asyncpg.LockNotAvailableError("a long reader holds a live table")
            async with conn.transaction():
                await conn.execute(script)
        except asyncpg.LockNotAvailableError:
            if time.monotonic() + pause > deadline:
                holders = await lock_holders(conn, lock_order(tables))
                raise SwapBlocked(
                    f"the new data could not be swapped in: the live tables stayed in use for "
                    f"--swap-wait {wait_s:g} s ({tries} tries); held by "
                    f"{describe_holders(holders)}. The live data is unchanged; load again "
                    "when the session has finished, or give a longer --swap-wait"
                ) from None
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE_S)
        else:
            # Dropped after the swap has committed, not inside it: removing a big table's
            # files takes seconds, and inside the swap the live names would stay locked
            # (every reader waiting) for all that time. Nobody reads the old copies now; if
            # one cannot be dropped at once the new data is live all the same, and the next
            # load drops it (drop_leftovers).
            with contextlib.suppress(CliError):
                await drop_tables(conn, [f"{table}{OLD}" for table in sorted(set(tables))])
            return tries


async def drop_next(conn: Connection, tables: list[str]) -> None:
    """Remove copies of the tables (from a failed or killed load; the live tables are
    untouched), waiting a few seconds at most for a lock on each, then naming who holds it."""
    await drop_tables(conn, [f"{table}{NEXT}" for table in tables])


async def drop_tables(conn: Connection, names: list[str]) -> None:
    """Drop each table if it exists, waiting a few seconds at most for its lock, then
    failing with the name of the session that holds it."""
    for name in names:
        try:
            async with conn.transaction():
                await conn.execute(f"SET LOCAL lock_timeout = '{CLEANUP_LOCK_TIMEOUT}'")
                await conn.execute(f"DROP TABLE IF EXISTS {name}")
        except asyncpg.LockNotAvailableError:
            holders = await lock_holders(conn, [name])
            raise CliError(
                f"{name}, left by an earlier load, cannot be removed: "
                f"{describe_holders(holders)}. The live data is unchanged"
            ) from None


_LEFTOVERS = """
SELECT tablename FROM pg_tables
WHERE schemaname = current_schema() AND (tablename LIKE '%\\_next' OR tablename LIKE '%\\_old')
ORDER BY tablename
"""


async def drop_leftovers(conn: Connection) -> list[str]:
    """Drop every ``*_next`` copy and ``*_old`` table an earlier, killed load left; returns
    their names."""
    names = [row["tablename"] for row in await conn.fetch(_LEFTOVERS)]
    await drop_tables(conn, names)
    return names
