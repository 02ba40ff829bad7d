"""What every command shares: consoles, the database URL, connecting, running coroutines."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import asyncpg
from rich.console import Console

from loaders import localdb
from loaders.errors import CliError
from service.db import describe, init_connection
from service.settings import Settings

T = TypeVar("T")

err = Console(stderr=True, highlight=False, soft_wrap=True)
# Off a terminal (logs, CI, pipes) rich would assume 80 columns and squeeze the tables.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


def run_async(coroutine_fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    return asyncio.run(coroutine_fn(*args))


def database_url(settings: Settings) -> str:
    """DATABASE_URL when set; else the managed local PostGIS, started if needed."""
    if settings.db.url:
        return settings.db.url
    return localdb.ensure_running(settings.local_db)


async def connect(url: str) -> asyncpg.Connection:
    """A connection for a command, with the service's codecs; a clear error if unreachable."""
    try:
        conn = await asyncpg.connect(url, timeout=10)
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        raise CliError(f"cannot connect to the database: {describe(error)}") from error
    await init_connection(conn)
    return conn
