"""One connection per request: the first borrowing acquires it from the pool chosen for the
request and opens a read-only repeatable-read transaction; every later borrowing in the same
request gets the same connection, and the request's end gives it back. So an answer built from
several statements (search: word sets, then candidates) sees one snapshot of one server, and
never mixes two data versions, nor two replicas at different points of replay.

When a replica fails a request (it stopped, or a query conflicted with replay), the request is
marked for one more try on the primary (``ReplicaRetryMiddleware`` runs it again) and the
replica leaves rotation until a check finds it well."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from service.db.outages import translated_errors, unavailable
from service.db.readpools import ReadPools, ReadSource
from service.db.types import Connection
from service.errors import TooSlow, Unavailable
from service.sqlfiles import sql

# A hot standby cancels a query whose snapshot or locks hold up replay for longer than
# max_standby_streaming_delay: class 40 (serialization failure, "conflict with recovery").
_REPLAY_CONFLICT = asyncpg.TransactionRollbackError


@dataclass
class RequestConnection:
    """The connection of one request, taken at its first borrowing (a ``Connections``)."""

    reads: ReadPools
    source: ReadSource
    retry_on_primary: Callable[[], None]
    _conn: PoolConnectionProxy[asyncpg.Record] | None = None

    @asynccontextmanager
    async def _borrow(self) -> AsyncIterator[Connection]:
        try:
            async with translated_errors(self.source.outages):
                yield await self._held()
        except TooSlow:
            raise
        except Unavailable:
            self._replica_failed("it stopped answering")
            raise
        except _REPLAY_CONFLICT as error:
            if self.source.replica is None:
                raise
            self._replica_failed(f"a query conflicted with replay ({error.sqlstate})")
            raise unavailable() from None

    async def _held(self) -> Connection:
        if self._conn is None:
            conn = await self.source.pool.acquire(timeout=self.source.acquire_timeout_s)
            self._conn = conn
            await conn.execute(sql("service.db", "begin_snapshot"))
        return self._conn

    def _replica_failed(self, why: str) -> None:
        if self.source.replica is not None:
            self.reads.failed(self.source, why)
            self.retry_on_primary()

    def connection(self) -> AbstractAsyncContextManager[Connection]:
        return self._borrow()

    async def release(self) -> None:
        """Give the connection back (its reset rolls the transaction back); a connection the
        server already closed is simply dropped by the pool."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(Exception):
                await self.source.pool.release(conn)


@asynccontextmanager
async def request_connection(
    reads: ReadPools, *, primary_only: bool, retry_on_primary: Callable[[], None]
) -> AsyncIterator[RequestConnection]:
    """The connection source of one request, released when the block ends."""
    held = RequestConnection(reads, reads.choose(primary_only=primary_only), retry_on_primary)
    try:
        yield held
    finally:
        await held.release()
