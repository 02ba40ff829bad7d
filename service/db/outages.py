"""Database outages, in one place: which failures mean "the database cannot be reached" (not a
bug in a request), what a caller is told (503 with when to retry), and one warning line when an
outage starts and one when it ends, rather than a traceback per request.

Every connection a request borrows goes through ``GuardedConnections``, so every route answers
an outage the same way, and answers again as soon as the database is back (the pool reconnects
by itself; nothing needs a restart)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

import asyncpg

from service.db.pool import describe
from service.db.types import Connection
from service.errors import InvalidInput, TooSlow, Unavailable

log = logging.getLogger("address_lookup.database")

RETRY_AFTER_S = 5
# The server is down, restarting, refusing new connections, or the connection broke.
_OUTAGES: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, no route, socket file gone
    TimeoutError,  # connecting, or waiting for a free pooled connection
    asyncpg.PostgresConnectionError,  # class 08, and a connection that no longer exists
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    # A pooled connection the server ended while it sat idle (a fast shutdown's "terminating
    # connection"), found broken by the next statement sent on it.
    asyncpg.exceptions._base.InternalClientError,
)
_PROBLEM_WITH_THE_VALUES = (
    asyncpg.exceptions._base.DataError,  # a value asyncpg cannot send (out of range, not UTF-8)
    asyncpg.DataError,  # class 22: PostgreSQL refused a value (a NUL byte...)
)


def is_outage(error: BaseException) -> bool:
    """True when the error says the database is unreachable, not that the request was wrong."""
    if isinstance(error, _OUTAGES):
        return True
    # asyncpg's "connection is closed" / "connection was closed in the middle of operation".
    return (
        isinstance(error, asyncpg.InterfaceError)
        and not isinstance(error, _PROBLEM_WITH_THE_VALUES)
        and "closed" in str(error)
    )


def unavailable() -> Unavailable:
    return Unavailable(
        "The service cannot reach its database just now.",
        hint=f"Retry in {RETRY_AFTER_S} seconds; the operator has been told.",
        retry_after_s=RETRY_AFTER_S,
    )


def too_slow() -> TooSlow:
    return TooSlow(
        "The request took longer than the service allows, and was stopped.",
        hint="Retry; if it keeps happening, ask for less (fewer or shorter items).",
        retry_after_s=RETRY_AFTER_S,
    )


def refused_value(error: BaseException) -> InvalidInput:
    """A value the database cannot hold or compare, in a request that got past the checks."""
    return InvalidInput(
        "A value in the request cannot be looked up (it is out of range or holds a character "
        "that addresses never contain).",
        hint="Check the numbers and remove control characters from the text.",
        details=[{"in": "request", "field": "request", "problem": type(error).__name__}],
    )


@dataclass
class OutageLog:
    """One warning when the database becomes unreachable, one info line when it is back."""

    down_since: float | None = None
    failures: int = 0

    def failed(self, error: BaseException) -> None:
        self.failures += 1
        if self.down_since is None:
            self.down_since = time.monotonic()
            log.warning(
                "database unreachable (%s): answering 503 until it is back", describe(error)
            )

    def succeeded(self) -> None:
        if self.down_since is not None:
            seconds = time.monotonic() - self.down_since
            log.warning(
                "database reachable again after %.1f s (%d requests answered 503)",
                seconds,
                self.failures,
            )
            self.down_since, self.failures = None, 0


@asynccontextmanager
async def translated_errors(outages: OutageLog) -> AsyncIterator[None]:
    """Turn what goes wrong inside the block into the domain error that says so: a statement
    timeout into 503 too slow, a refused value into 400, an outage into 503 (logged once)."""
    try:
        yield
    except asyncpg.QueryCanceledError:
        raise too_slow() from None  # statement_timeout
    except _PROBLEM_WITH_THE_VALUES as error:
        raise refused_value(error) from None
    except Exception as error:
        if not is_outage(error):
            raise
        outages.failed(error)
        raise unavailable() from None
    outages.succeeded()


@dataclass(frozen=True)
class GuardedConnections:
    """Connections borrowed from a pool, within a time limit, with every outage or refused
    value turned into the domain error that says so."""

    pool: asyncpg.Pool
    acquire_timeout_s: float
    outages: OutageLog = field(default_factory=OutageLog)

    @asynccontextmanager
    async def _borrow(self) -> AsyncIterator[Connection]:
        async with (
            translated_errors(self.outages),
            self.pool.acquire(timeout=self.acquire_timeout_s) as conn,
        ):
            yield conn

    def connection(self) -> AbstractAsyncContextManager[Connection]:
        return self._borrow()
