"""Schema migrations on a real PostGIS, and the service refusing to run on the wrong schema."""

from __future__ import annotations

import asyncpg
import pytest

from service.db.migrations import known_migrations, latest_version, migrate, schema_state
from service.db.pool import DatabaseNotReady
from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.cli import run_cli
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL


async def test_migrate_twice_applies_nothing_the_second_time(databases: ThrowawayDatabases) -> None:
    with databases.empty() as url:
        conn = await asyncpg.connect(url)
        try:
            first = await migrate(conn)
            second = await migrate(conn)
            recorded = await conn.fetchval("SELECT count(*) FROM schema_migrations")
            postgis = await conn.fetchval("SELECT postgis_version()")
            state = await schema_state(conn)
        finally:
            await conn.close()
    assert state.is_current and state.edited == () and state.warning() is None
    assert [m.version for m in first] == [m.version for m in known_migrations()]
    assert first[-1].version == latest_version()
    assert second == []
    assert recorded == len(known_migrations())
    assert postgis


async def test_a_migration_edited_after_it_was_applied_is_reported(
    databases: ThrowawayDatabases,
) -> None:
    """A migration runs once, so an edit made after a database applied it never reaches that
    database: status and migrate say so (the service still starts; an edit may be a comment)."""
    latest = known_migrations()[-1]
    edited = f"{latest.version:04d}_{latest.name}"
    with databases.empty() as url:
        conn = await asyncpg.connect(url)
        try:
            await migrate(conn)
            await conn.execute(
                "UPDATE schema_migrations SET checksum = 'of an older text' WHERE version = $1",
                latest.version,
            )
            state = await schema_state(conn)
        finally:
            await conn.close()
        status = run_cli("db", "status", env={"DATABASE_URL": url})
        again = run_cli("db", "migrate", env={"DATABASE_URL": url})
    assert state.edited == (edited,) and state.problem() is None
    assert f"warning: migration {edited} was applied from a different text" in status.stdout
    assert again.returncode == 0 and "schema already current" in again.stdout
    assert f"warning: migration {edited} was applied from a different text" in again.stderr


def _settings_for(url: str) -> Settings:
    return Settings(db=DatabaseSettings(DATABASE_URL=url, startup_wait_s=0), tenancy=KEYS_OPTIONAL)


async def test_service_refuses_to_start_on_an_unmigrated_database(
    databases: ThrowawayDatabases,
) -> None:
    with databases.empty() as url, pytest.raises(DatabaseNotReady, match="db migrate"):
        app = create_app(_settings_for(url))
        async with app.router.lifespan_context(app):
            pass


async def test_service_refuses_a_schema_newer_than_it_knows(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    await conn.execute(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, 'future', 'x')",
        latest_version() + 1,
    )
    await conn.close()
    app = create_app(_settings_for(database_url))
    with pytest.raises(DatabaseNotReady, match="newer than this code knows"):
        async with app.router.lifespan_context(app):
            pass


def test_serve_command_explains_an_unmigrated_database(databases: ThrowawayDatabases) -> None:
    with databases.empty() as url:
        done = run_cli("serve", env={"DATABASE_URL": url, "DB_STARTUP_WAIT_S": "0"})
    assert done.returncode == 1
    assert "address-lookup db migrate" in done.stderr
    assert "Traceback" not in done.stderr
