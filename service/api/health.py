"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from service.api.deps import Db
from service.api.openapi_errors import error_responses
from service.db.migrations import latest_version
from service.db.pool import DatabaseNotReady, check_schema
from service.db.readpools import ReadPools
from service.errors import Unavailable

router = APIRouter(tags=["health"])

_READY_TIMEOUT_S = 2.0


class Alive(BaseModel):
    status: str = "alive"


class PoolState(BaseModel):
    name: str = Field(description="primary, or replica1, replica2... in DATABASE_READ_URLS order")
    in_rotation: bool = Field(
        description="Whether reads go to it now (the primary: while no replica is in rotation)"
    )
    reason: str = Field(description="Why it is in rotation or out of it")
    data_version: int | None = Field(description="The newest load in effect there")
    replay_lag_s: float | None = Field(description="How far its replay lagged at its last check")
    connections: int
    idle_connections: int


class Ready(BaseModel):
    status: str = "ready"
    schema_version: int
    pools: list[PoolState] = Field(
        default_factory=list,
        description="Each database pool this process reads from, as of its last check",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What the operator should fix although the service answers, e.g. that "
        "it connects to the database as a superuser",
    )


@router.get("/healthz", response_model=Alive, summary="The process is alive")
async def healthz() -> Alive:
    """Answers 200 while the process runs; it never touches the database."""
    return Alive()


@router.get(
    "/readyz",
    response_model=Ready,
    summary="The service can answer lookups",
    responses=error_responses(503, description="The database is unreachable or not current"),
)
async def readyz(db: Db, request: Request) -> Ready:
    """200 when the database answers and its schema is the one this code expects; 503 with the
    reason otherwise (the details go to the service's log, not to callers). Recovers by itself
    when the database comes back."""
    try:
        async with asyncio.timeout(_READY_TIMEOUT_S):
            async with db.connection() as conn:
                await check_schema(conn)
    except DatabaseNotReady:
        raise Unavailable(
            "Not ready: the database schema is not the one this release needs",
            hint="The operator should run `address-lookup db migrate` (the log says more).",
        ) from None
    except Unavailable:
        raise Unavailable(
            "Not ready: the database is unreachable",
            hint="The operator should check that PostgreSQL is running.",
            retry_after_s=5,
        ) from None
    except TimeoutError:
        raise Unavailable(
            "Not ready: the database is too slow to answer", retry_after_s=5
        ) from None
    warning = getattr(request.app.state, "role_warning", None)
    return Ready(
        schema_version=latest_version(),
        pools=pool_states(request.app.state.reads),
        warnings=[warning] if warning else [],
    )


def pool_states(reads: ReadPools) -> list[PoolState]:
    return [
        PoolState(
            name=s.name,
            in_rotation=s.in_rotation,
            reason=s.reason,
            data_version=s.data_version,
            replay_lag_s=s.replay_lag_s,
            connections=s.size,
            idle_connections=s.idle,
        )
        for s in reads.statuses()
    ]
