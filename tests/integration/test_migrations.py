"""Schema migrations on a real PostGIS, and the service refusing to run on the wrong schema."""

from __future__ import annotations

import asyncpg
import pytest

from service.db.migrations import known_migrations, latest_version, migrate
from service.db.pool import DatabaseNotReady
from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.cli import run_cli
from tests.support.pg import ThrowawayDatabases


async def test_migrate_twice_applies_nothing_the_second_time(databases: ThrowawayDatabases) -> None:
    with databases.empty() as url:
        conn = await asyncpg.connect(url)
        try:
            first = await migrate(conn)
            second = await migrate(conn)
            recorded = await conn.fetchval("SELECT count(*) FROM schema_migrations")
            postgis = await conn.fetchval("SELECT postgis_version()")
        finally:
            await conn.close()
    # Every shipped migration once, in order (numbers are reserved per piece of work, so a
    # branch may ship 0008 before 0006 and 0007 arrive).
    assert [m.version for m in first] == [m.version for m in known_migrations()]
    assert second == []
    assert recorded == len(known_migrations())
    assert postgis


def _settings_for(url: str) -> Settings:
    return Settings(db=DatabaseSettings(DATABASE_URL=url, startup_wait_s=0))


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
