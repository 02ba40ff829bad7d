"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request


async def get_pool(request: Request) -> asyncpg.Pool:
    """The app's connection pool, opened in the lifespan. (Async, so FastAPI calls it in the
    event loop: a plain function would be sent to a worker thread on every request.)"""
    pool: asyncpg.Pool = request.app.state.pool
    return pool


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
