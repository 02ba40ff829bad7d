"""Schema migrations. Versioned ones are numbered .sql files in this package, applied once, in
order, each in its own transaction, and recorded in ``schema_migrations`` with a checksum of
its text, so a migration edited after a database applied it is reported (``db status``, ``db
migrate``) rather than silently taken as applied. Repeatable ones are
the definitions of SQL functions that live beside the Python that calls them (the point-in-area
lookup is ``service/spatial/sql/areas_at_points.sql``): each is applied after the versioned
ones whenever its text differs from what was last applied, and recorded in
``schema_repeatables``, so a function is changed by editing its one file."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from service.db.types import Connection
from service.sqlfiles import sql

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Any fixed number: it only has to be the same in every process that migrates.
_MIGRATION_LOCK_KEY = 7_340_211

# Repeatable definitions, applied in this order: (package of the .sql file, its name).
REPEATABLE = (("service.spatial", "areas_at_points"),)


@dataclass(frozen=True)
class Repeatable:
    """A definition applied again whenever its text changes (a function's CREATE OR REPLACE)."""

    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Migration(Repeatable):
    """A numbered migration, applied once."""

    version: int


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against what this code knows.

    Versions are compared as sets, not by the highest one: numbers are handed out per piece of
    work, so a migration numbered below the newest applied one can arrive in a later release."""

    applied: frozenset[int]
    known: frozenset[int]
    stale: tuple[str, ...] = ()  # repeatable definitions not yet applied in their current text
    edited: tuple[str, ...] = ()  # versioned migrations applied from a text this code changed

    @property
    def current(self) -> int:
        """The highest applied version, 0 for a database never migrated."""
        return max(self.applied, default=0)

    @property
    def missing(self) -> list[int]:
        """Versions this code ships that the database has not applied."""
        return sorted(self.known - self.applied)

    @property
    def unknown(self) -> list[int]:
        """Versions applied to the database that this code does not know (a newer release's)."""
        return sorted(self.applied - self.known)

    @property
    def is_current(self) -> bool:
        return self.problem() is None

    def problem(self) -> str | None:
        """A sentence saying what is wrong and what to run, or None when current."""
        if self.unknown:
            return (
                f"the database schema has version {self.unknown[-1]}, newer than this code knows "
                f"(version {max(self.known)}): upgrade Address Lookup to the release that "
                "migrated it"
            )
        if not self.applied:
            return "the database has no schema yet: run `address-lookup db migrate`"
        if self.missing:
            versions = ", ".join(str(v) for v in self.missing)
            return (
                f"the database schema lacks version {versions} that this code needs: "
                "run `address-lookup db migrate`"
            )
        if self.stale:
            return (
                f"the database's {', '.join(self.stale)} differs from this code's: run "
                "`address-lookup db migrate`"
            )
        return None

    def warning(self) -> str | None:
        """A sentence about applied migrations whose text this code ships changed, or None.
        Not a problem that stops the service: a migration runs once, so a later edit (even a
        comment) is never applied; whether the schema lacks what the edit added is for an
        operator to judge, from the migration's history."""
        if not self.edited:
            return None
        return (
            f"migration {', '.join(self.edited)} was applied from a different text than this "
            "code ships, and migrations are never applied twice: compare the database with "
            "the file (git log -p service/db/migrations/<file>) and apply what is missing "
            "by hand"
        )


@cache
def known_migrations() -> tuple[Migration, ...]:
    """Every migration shipped with this code, in version order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            text = entry.read_text(encoding="utf-8")
            found.append(Migration(name=match[2], sql=text, version=int(match[1])))
    found.sort(key=lambda migration: migration.version)
    return tuple(found)


@cache
def repeatable_definitions() -> tuple[Repeatable, ...]:
    """Every repeatable definition shipped with this code, in the order they are applied."""
    return tuple(Repeatable(name, sql(package, name)) for package, name in REPEATABLE)


def latest_version() -> int:
    return known_migrations()[-1].version


async def applied_checksums(conn: Connection) -> dict[int, str]:
    """Every migration version applied to the database, with the checksum of the text
    applied; empty when it was never migrated."""
    ledger = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    rows = await conn.fetch(sql(__package__, "migrations_applied")) if ledger else []
    return {row["version"]: row["checksum"] for row in rows}


async def stale_repeatables(conn: Connection) -> list[Repeatable]:
    """The repeatable definitions whose current text the database has not applied."""
    ledger = await conn.fetchval("SELECT to_regclass('schema_repeatables') IS NOT NULL")
    rows = await conn.fetch(sql(__package__, "repeatables_applied")) if ledger else []
    applied = {row["name"]: row["checksum"] for row in rows}
    return [r for r in repeatable_definitions() if applied.get(r.name) != r.checksum]


async def schema_state(conn: Connection) -> SchemaState:
    stale = tuple(r.name for r in await stale_repeatables(conn))
    applied = await applied_checksums(conn)
    edited = tuple(
        f"{m.version:04d}_{m.name}"
        for m in known_migrations()
        if m.version in applied and applied[m.version] != m.checksum
    )
    return SchemaState(
        applied=frozenset(applied),
        known=frozenset(m.version for m in known_migrations()),
        stale=stale,
        edited=edited,
    )


async def migrate(conn: Connection) -> list[Migration]:
    """Apply every pending migration, then every stale repeatable definition; returns the
    versioned migrations applied now (none when up to date).

    An advisory lock makes concurrent runs (two replicas starting together) wait their turn.
    """
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
    try:
        await conn.execute(sql(__package__, "create_ledgers"))
        state = await schema_state(conn)
        if state.unknown:
            raise RuntimeError(state.problem())
        pending = [m for m in known_migrations() if m.version in state.missing]
        for migration in pending:
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
        await _apply_repeatables(conn)
        return pending
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK_KEY)


async def _apply_repeatables(conn: Connection) -> None:
    for definition in await stale_repeatables(conn):
        async with conn.transaction():
            await conn.execute(definition.sql)
            await conn.execute(
                sql(__package__, "record_repeatable"), definition.name, definition.checksum
            )
