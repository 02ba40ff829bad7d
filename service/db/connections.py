"""Where a request's connections come from. Data functions take a connection; a pipeline that
runs several groups of statements (search: word sets, then candidates) takes a ``Connections``
and borrows for each group. In the service every borrowing of one request gets the request's
one connection and snapshot (``service.db.requestconn``), so an answer never mixes data
versions; a command or a benchmark may hand it one connection (``OneConnection``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from service.db.types import Connection


class Connections(Protocol):
    """A source of connections, each borrowed for one group of statements."""

    def connection(self) -> AbstractAsyncContextManager[Connection]: ...


@dataclass(frozen=True)
class OneConnection:
    """Every borrowing answered by the same connection (a command's, a benchmark's)."""

    conn: Connection

    @asynccontextmanager
    async def _borrow(self) -> AsyncIterator[Connection]:
        yield self.conn

    def connection(self) -> AbstractAsyncContextManager[Connection]:
        return self._borrow()
