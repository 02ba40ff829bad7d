"""Usage: every answered request counted per key, UTC day, endpoint family and status class.

Counting must not slow answers, so each process adds to a counter in memory and writes the
counts in one statement every few seconds (and when it shuts down). A process that crashes
loses what it counted since its last write: at most one flush interval of its requests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from service.db.types import Connection
from service.sqlfiles import sql

# Endpoint families by route template: exact templates first, then prefixes.
_FAMILY_BY_ROUTE = {
    "/v1/addresses/search": "search",
    "/v1/addresses/autocomplete": "autocomplete",
    "/v1/addresses/match": "match",
    "/v1/addresses/{uprn}": "uprn",
    "/v1/addresses/nearest": "geographic",
    "/v1/addresses": "geographic",
}
_FAMILY_BY_PREFIX = (
    ("/v1/postcodes", "postcode"),
    ("/v1/areas", "areas"),
    ("/search/places/v1", "osplaces"),
)
FAMILIES = (
    "search",
    "autocomplete",
    "postcode",
    "uprn",
    "geographic",
    "areas",
    "osplaces",
    "match",
    "other",
)


def family_of(route: str) -> str:
    """The endpoint family of a route template, or of a path refused before routing (any other
    path under /v1/addresses/ is a UPRN); "other" for the rest (usage, unknown paths)."""
    family = _FAMILY_BY_ROUTE.get(route)
    if family:
        return family
    for prefix, name in _FAMILY_BY_PREFIX:
        if route.startswith(prefix):
            return name
    return "uprn" if route.startswith("/v1/addresses/") else "other"


UsageKey = tuple[int, date, str, int]  # key id, day, family, status class


class UsageCounter:
    """Counts held in memory until the next flush."""

    def __init__(self) -> None:
        self._counts: Counter[UsageKey] = Counter()
        self._last_used: dict[int, float] = {}  # epoch seconds
        self._day_number, self._day = -1, date.min

    def add(self, key_id: int, family: str, status: int, when: float) -> None:
        """Count one request answered at ``when`` (epoch seconds)."""
        day_number = int(when // 86_400)
        if day_number != self._day_number:  # a date object once a day, not once a request
            self._day_number = day_number
            self._day = datetime.fromtimestamp(day_number * 86_400, UTC).date()
        self._counts[(key_id, self._day, family, status // 100)] += 1
        self._last_used[key_id] = when

    def __len__(self) -> int:
        return len(self._counts)

    async def flush(self, conn: Connection) -> int:
        """Write what was counted; on failure the counts are kept for the next flush.
        Returns how many requests were written."""
        counts, last_used = self._counts, self._last_used
        if not counts:
            return 0
        self._counts, self._last_used = Counter(), {}
        try:
            async with conn.transaction():
                await conn.execute(sql(__package__, "add_usage"), *_columns(counts))
                used_at = [datetime.fromtimestamp(t, UTC) for t in last_used.values()]
                await conn.execute(sql(__package__, "touch_keys"), list(last_used), used_at)
        except BaseException:
            self._counts.update(counts)
            for key_id, when in last_used.items():
                self._last_used.setdefault(key_id, when)
            raise
        return sum(counts.values())


def _columns(counts: Counter[UsageKey]) -> tuple[list[object], ...]:
    keys = list(counts)
    return (
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
        [k[3] for k in keys],
        [counts[k] for k in keys],
    )


@dataclass(frozen=True)
class UsageRow:
    council_code: str
    key: str  # public id
    day: date
    family: str
    status_class: str  # "2xx"...
    requests: int


async def usage_report(
    conn: Connection, *, council: str | None, since: date, until: date | None = None
) -> list[UsageRow]:
    """Requests per council, key, day, family and status class, from ``since`` to ``until``
    (today when not given), both inclusive."""
    rows = await conn.fetch(
        sql(__package__, "usage_report"), council, since, until or datetime.now(UTC).date()
    )
    return [
        UsageRow(
            r["council_code"],
            r["public_id"],
            r["day"],
            r["family"],
            f"{r['status_class']}xx",
            r["requests"],
        )
        for r in rows
    ]
