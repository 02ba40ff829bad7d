"""The database sessions of a load: named, so that anyone can see what they are and the next
load can tell leftovers of a killed one; unable to sit idle in a transaction holding locks;
and able to say which other sessions hold the tables a load waits for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from loaders.core.database import connect
from service.db.types import Connection
from service.sqlfiles import sql

APPLICATION_PREFIX = "address-lookup load:"
ADDRESS_DATASET = "addresses"
# A load session idle this long inside a transaction is ended by the server, its locks
# released: a stopped or orphaned loader can no longer block later loads.
IDLE_IN_TRANSACTION_TIMEOUT = "60s"
# How often a load session's server checks, during a long statement, that the loader is still
# there: a killed loader's statements stop within this, not when they would have finished.
CLIENT_CHECK_INTERVAL = "1s"
# How long cleaning up after an earlier load may wait for a lock before saying who holds it.
CLEANUP_LOCK_TIMEOUT = "5s"


def application_name(dataset: str, role: str = "") -> str:
    """The application_name of a load's sessions: 'address-lookup load:addresses' for the
    main session, with a role after a space for the others ('... index-worker')."""
    name = f"{APPLICATION_PREFIX}{dataset}"
    return f"{name} {role}" if role else name


async def connect_for_load(url: str, dataset: str, role: str = "") -> asyncpg.Connection:
    """A load session: named for its dataset and role, never idle in a transaction for long."""
    return await connect(
        url,
        server_settings={
            "application_name": application_name(dataset, role)[:63],
            "idle_in_transaction_session_timeout": IDLE_IN_TRANSACTION_TIMEOUT,
            "client_connection_check_interval": CLIENT_CHECK_INTERVAL,
        },
    )


@dataclass(frozen=True)
class LockHolder:
    """A session holding a lock on a table a load needs."""

    pid: int
    application: str
    user_name: str | None
    since: datetime | None
    state: str
    query: str
    tables: list[str]

    def describe(self) -> str:
        """One line an operator can act on (pg_terminate_backend(pid), or ask its owner)."""
        since = f"since {self.since:%Y-%m-%d %H:%M:%S %Z}".rstrip() if self.since else ""
        query = f", running {self.query!r}" if self.query else ""
        return (
            f"session pid {self.pid} (application {self.application!r}, user "
            f"{self.user_name or '?'}, {self.state} {since}{query}) holds {', '.join(self.tables)}"
        )


async def lock_holders(conn: Connection, tables: list[str]) -> list[LockHolder]:
    """The other sessions holding locks on any of the tables, oldest transaction first."""
    rows = await conn.fetch(sql(__package__, "lock_holders"), tables)
    return [LockHolder(**dict(row.items())) for row in rows]


def describe_holders(holders: list[LockHolder]) -> str:
    """Every holder on its own line, or why none is named."""
    if not holders:
        return "no single session: short queries kept the tables busy"
    return "; ".join(holder.describe() for holder in holders)


async def end_orphan_sessions(conn: Connection, dataset: str) -> list[int]:
    """End the sessions an earlier, killed load of ``dataset`` left behind (call only while
    holding the dataset's load lock); returns their pids."""
    rows = await conn.fetch(sql(__package__, "orphan_sessions"), application_name(dataset))
    pids = [int(row["pid"]) for row in rows]
    for pid in pids:
        await conn.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)
    return pids
