"""Dependencies shared by the routers: the one request-scoped database dependency. Every router
takes ``db: Db`` and borrows connections from it; none touches a pool itself. This is where a
request's database is chosen: a read replica in rotation, else the primary (and the primary
for the second run of a request a replica failed, ``service.api.replica_retry``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from service.api.pool_metrics import READS
from service.api.replica_retry import PRIMARY_FLAG, RETRY_FLAG
from service.db.connections import Connections
from service.db.readpools import ReadPools
from service.db.requestconn import request_connection


async def request_database(request: Request) -> AsyncIterator[Connections]:
    """The request's one connection, from the pool whose turn it is, taken at its first use
    and given back when the route returns. (Async, so FastAPI calls it in the event loop: a
    plain function would be sent to a worker thread on every request.)"""
    reads: ReadPools = request.app.state.reads

    def retry_on_primary() -> None:
        setattr(request.state, RETRY_FLAG, True)

    primary_only = bool(getattr(request.state, PRIMARY_FLAG, False))
    async with request_connection(
        reads, primary_only=primary_only, retry_on_primary=retry_on_primary
    ) as held:
        READS.labels(held.source.name).inc()
        yield held


Db = Annotated[Connections, Depends(request_database, scope="function")]
