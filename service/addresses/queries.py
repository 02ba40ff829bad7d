"""Address lookups: by UPRN, near a point, inside a box. Each function takes the connection
first and runs statements from sql/."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.db.types import Connection
from service.sqlfiles import sql

Row = Any  # an asyncpg Record of the addresses table


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int


async def addresses_by_uprn(conn: Connection, uprns: list[int]) -> dict[int, Row]:
    """The addresses with these UPRNs, by UPRN (unknown ones are simply absent)."""
    rows = await conn.fetch(sql(__package__, "by_uprns"), uprns)
    return {row["uprn"]: row for row in rows}


async def address_with_children(conn: Connection, uprn: int) -> Row | None:
    """One address, with ``child_uprns``: the UPRNs whose parent it is."""
    return await conn.fetchrow(sql(__package__, "with_children"), uprn)


async def nearest_addresses(
    conn: Connection, *, x: float, y: float, radius: float, limit: int
) -> list[Row]:
    """Addresses within radius metres of a BNG point, nearest first, each with its distance."""
    return list(await conn.fetch(sql(__package__, "nearest"), x, y, radius, limit))


async def addresses_in_box(
    conn: Connection, box: tuple[float, float, float, float], *, limit: int, offset: int
) -> Page:
    """Addresses inside a BNG box, natural order, a page at a time, with the total."""
    rows = await conn.fetch(sql(__package__, "in_bbox"), *box, limit, offset)
    if rows or offset == 0:
        return Page(list(rows), rows[0]["total"] if rows else 0)
    # A page past the end has no rows to carry the total.
    return Page([], int(await conn.fetchval(sql(__package__, "count_in_bbox"), *box)))
