"""Versioned schema migrations: numbered .sql files in this package, applied in order, each in
its own transaction, and recorded in ``schema_migrations``."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from service.db.types import Connection

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Any fixed number: it only has to be the same in every process that migrates.
_MIGRATION_LOCK_KEY = 7_340_211

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against what this code knows."""

    current: int  # 0 for a database never migrated
    latest: int

    @property
    def is_current(self) -> bool:
        return self.current == self.latest

    def problem(self) -> str | None:
        """A sentence saying what is wrong and what to run, or None when current."""
        if self.current < self.latest:
            return (
                f"the database schema is at version {self.current} but this code needs "
                f"version {self.latest}: run `address-lookup db migrate`"
            )
        if self.current > self.latest:
            return (
                f"the database schema is at version {self.current}, newer than this code knows "
                f"(version {self.latest}): upgrade Address Lookup to the release that migrated it"
            )
        return None


@cache
def known_migrations() -> tuple[Migration, ...]:
    """Every migration shipped with this code, in version order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    return tuple(found)


def latest_version() -> int:
    return known_migrations()[-1].version


async def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 when the database was never migrated."""
    ledger = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not ledger:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))


async def schema_state(conn: Connection) -> SchemaState:
    return SchemaState(current=await current_version(conn), latest=latest_version())


async def migrate(conn: Connection) -> list[Migration]:
    """Apply every pending migration; returns those applied now (none when up to date).

    An advisory lock makes concurrent runs (two replicas starting together) wait their turn.
    """
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
    try:
        await conn.execute(_CREATE_LEDGER)
        state = await schema_state(conn)
        if state.current > state.latest:
            raise RuntimeError(state.problem())
        pending = [m for m in known_migrations() if m.version > state.current]
        for migration in pending:
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
        return pending
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK_KEY)
