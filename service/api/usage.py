"""``GET /v1/usage``: a council reads its own usage with its server key."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from service.api.deps import Db
from service.errors import Forbidden, InvalidInput, Unauthorized
from service.tenancy.caller import Caller
from service.tenancy.usage import usage_report

router = APIRouter(prefix="/v1", tags=["usage"])
MAX_DAYS = 366


class UsageLine(BaseModel):
    day: date
    key: str  # the key's public prefix
    family: str
    status_class: str
    requests: int


class Usage(BaseModel):
    council: str
    since: date
    until: date
    total: int
    usage: list[UsageLine]


def server_caller(request: Request) -> Caller:
    """The council behind this request, which must have sent its server key."""
    caller: Caller | None = request.state.caller
    if caller is None:
        error = Unauthorized(
            "Reading usage needs your council's server key.",
            hint="Send it in the X-API-Key header.",
        )
        error.code = "key_required"
        raise error
    if caller.kind != "server":
        raise Forbidden(
            "Usage is read with a server key, not a browser key.",
            hint="Call from your server with your council's server key (alsk_...).",
        )
    return caller


@router.get(
    "/usage",
    response_model=Usage,
    summary="Your council's usage, per key, day, endpoint family and status class",
)
async def read_usage(
    request: Request,
    db: Db,
    since: Annotated[date | None, Query(description="First day (UTC), default 30 days ago")] = None,
    until: Annotated[date | None, Query(description="Last day (UTC), default today")] = None,
) -> Usage:
    """Requests answered for every key of the calling council, per UTC day, endpoint family
    (search, autocomplete, postcode, uprn, geographic, areas, osplaces, match, other) and
    status class (2xx, 4xx...). Counts reach this table within a few seconds of the answer."""
    caller = server_caller(request)
    last = until or datetime.now(UTC).date()
    first = since or last - timedelta(days=30)
    if not timedelta(0) <= last - first <= timedelta(days=MAX_DAYS):
        raise InvalidInput(
            f"since {first} and until {last} must be in order and at most {MAX_DAYS} days apart",
            hint="e.g. since=2026-11-01&until=2026-11-30",
        )
    async with db.connection() as conn:
        rows = await usage_report(conn, council=caller.council_code, since=first, until=last)
    lines = [
        UsageLine(
            day=r.day, key=r.key, family=r.family, status_class=r.status_class, requests=r.requests
        )
        for r in rows
    ]
    total = sum(line.requests for line in lines)
    return Usage(council=caller.council_code, since=first, until=last, total=total, usage=lines)
