"""Dependencies shared by the routers: the one request-scoped database dependency. Every router
takes ``db: Db`` and borrows connections from it; none touches a pool itself. This is where a
request's database is chosen (and where who is calling, and a read replica, plug in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.db.connections import Connections


async def request_database(request: Request) -> Connections:
    """The connections this request reads from. (Async, so FastAPI calls it in the event
    loop: a plain function would be sent to a worker thread on every request.)"""
    database: Connections = request.app.state.database
    return database


Db = Annotated[Connections, Depends(request_database)]
