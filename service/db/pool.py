"""The connection pool: created in the app's lifespan, with orjson codecs and a statement
timeout on every connection."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import orjson

from service.db.migrations import schema_state
from service.db.types import Connection
from service.settings import DatabaseSettings


class DatabaseNotReady(Exception):
    """The database cannot serve this code: unreachable, or its schema is not the expected one."""


async def init_connection(conn: Connection) -> None:
    """Every connection decodes json and jsonb with orjson."""
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name,
            encoder=lambda v: orjson.dumps(v).decode(),
            decoder=orjson.loads,
            schema="pg_catalog",
        )


async def reset_connection(conn: Connection) -> None:
    """Ready a released connection for its next user without a round trip: the service never
    changes session state (no SET, LISTEN or session locks), so only an unfinished
    transaction needs undoing. (asyncpg's default reset costs a query on every release.)"""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


async def create_pool(
    dsn: str, settings: DatabaseSettings, *, min_size: int | None = None
) -> asyncpg.Pool:
    """A pool whose connections time out long statements rather than pile up. (A replica's
    pool starts empty, ``min_size=0``, so that a replica down at start delays nothing.)"""
    pool = await asyncpg.create_pool(
        dsn,
        min_size=settings.pool_min_size if min_size is None else min_size,
        max_size=settings.pool_max_size,
        init=init_connection,
        reset=reset_connection,
        timeout=settings.connect_timeout_s,
        command_timeout=settings.statement_timeout_ms / 1000 + 1,
        server_settings={
            "statement_timeout": str(settings.statement_timeout_ms),
            "application_name": "address-lookup",
        },
    )
    assert pool is not None
    return pool


async def check_schema(conn: Connection) -> None:
    """Raise DatabaseNotReady unless the schema is exactly the version this code knows."""
    problem = (await schema_state(conn)).problem()
    if problem:
        raise DatabaseNotReady(problem)


async def wait_for_database(dsn: str, settings: DatabaseSettings) -> None:
    """Wait up to startup_wait_s for the database to accept connections, then check its schema."""
    deadline = time.monotonic() + settings.startup_wait_s
    while True:
        try:
            conn = await asyncpg.connect(dsn, timeout=settings.connect_timeout_s)
            break
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            if time.monotonic() >= deadline:
                raise DatabaseNotReady(
                    f"cannot connect to the database: {describe(error)}"
                ) from error
            await asyncio.sleep(0.5)
    try:
        await check_schema(conn)
    finally:
        await conn.close()


def describe(error: BaseException) -> str:
    """A one-line description of a connection failure."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
