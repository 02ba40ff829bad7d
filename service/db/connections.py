"""Where a request's connections come from. Data functions take a connection; a pipeline that
does CPU work between statements (search ranks its candidates in Python) takes a
``Connections`` instead and borrows a connection only while its statements run, so the
connection serves other requests while this one ranks and renders."""

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
