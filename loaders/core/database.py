"""Where a load's data goes: the database URL (DATABASE_URL, else the managed local PostGIS,
started if needed) and connections with the service's codecs."""

from __future__ import annotations

import asyncpg

from loaders.errors import CliError
from service.db import localcluster
from service.db.pool import describe, init_connection
from service.settings import Settings


def database_url(settings: Settings) -> str:
    """Where loads and migrations go: DATABASE_URL when set; else the managed local PostGIS
    (started if needed) as the loader's role, which owns the schema."""
    if settings.db.url:
        return settings.db.url
    localcluster.ensure_running(settings.local_db)
    return settings.local_db.loader_url


def admin_database_url(settings: Settings) -> str:
    """A user who may create databases (benchmarks make their own): DATABASE_URL when set;
    else the managed local PostGIS's superuser, the cluster started if needed."""
    return settings.db.url or localcluster.ensure_running(settings.local_db)


def service_database_url(settings: Settings) -> str:
    """Where the service reads: DATABASE_URL when set; else the managed local PostGIS
    (started if needed) as the service's read-only role."""
    if settings.db.url:
        return settings.db.url
    localcluster.ensure_running(settings.local_db)
    return settings.local_db.service_url


async def connect(url: str, server_settings: dict[str, str] | None = None) -> asyncpg.Connection:
    """A connection for a command, with the service's codecs (and any session settings); a
    clear error if unreachable."""
    try:
        conn = await asyncpg.connect(url, timeout=10, server_settings=server_settings)
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        raise CliError(f"cannot connect to the database: {describe(error)}") from error
    await init_connection(conn)
    return conn
