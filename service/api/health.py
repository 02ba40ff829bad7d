"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import asyncio

import asyncpg
from fastapi import APIRouter
from pydantic import BaseModel

from service.api.deps import Db
from service.db.migrations import latest_version
from service.db.pool import DatabaseNotReady, check_schema, describe
from service.errors import Unavailable

router = APIRouter(tags=["health"])

_READY_TIMEOUT_S = 2.0
_CONNECTION_FAILURES = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncio.TimeoutError,
)


class Alive(BaseModel):
    status: str = "alive"


class Ready(BaseModel):
    status: str = "ready"
    schema_version: int


@router.get("/healthz", response_model=Alive, summary="The process is alive")
async def healthz() -> Alive:
    """Answers 200 while the process runs; it never touches the database."""
    return Alive()


@router.get(
    "/readyz",
    response_model=Ready,
    summary="The service can answer lookups",
    responses={503: {"description": "The database is unreachable or its schema is not current"}},
)
async def readyz(db: Db) -> Ready:
    """200 when the database answers and its schema is the one this code expects; 503 with the
    reason otherwise. Recovers by itself when the database comes back."""
    try:
        async with asyncio.timeout(_READY_TIMEOUT_S):
            async with db.connection() as conn:
                await check_schema(conn)
    except DatabaseNotReady as problem:
        raise Unavailable(
            f"Not ready: {problem}", hint="Run the command the message names."
        ) from None
    except _CONNECTION_FAILURES as error:
        raise Unavailable(
            f"Not ready: the database is unreachable ({describe(error)})",
            hint="Check that PostgreSQL is running and DATABASE_URL points at it.",
        ) from None
    return Ready(schema_version=latest_version())
