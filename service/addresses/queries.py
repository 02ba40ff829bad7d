"""Address and postcode lookups: each function takes the connection first and runs one
statement from sql/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from service.db.types import Connection
from service.search.postcode import Postcode
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


async def addresses_in_postcode(conn: Connection, key: str, *, limit: int, offset: int) -> Page:
    """A postcode's addresses in natural order, a page at a time, with the total."""
    rows = await conn.fetch(sql(__package__, "in_postcode"), key, limit, offset)
    total = rows[0]["total"] if rows else await _count_in_postcode(conn, key)
    return Page(list(rows), total)


async def _count_in_postcode(conn: Connection, key: str) -> int:
    # A page past the end has no rows to carry the total.
    count = await conn.fetchval("SELECT count(*) FROM addresses WHERE postcode_key = $1", key)
    return int(count)


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
    total = await conn.fetchval(
        "SELECT count(*) FROM addresses WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 27700)", *box
    )
    return Page([], int(total))


async def postcode_centre(conn: Connection, key: str) -> Row | None:
    """A postcode's centre and address count, or None when no address has it."""
    return await conn.fetchrow(sql(__package__, "postcode"), key)


async def postcodes_by_key(conn: Connection, keys: list[str]) -> dict[str, Row]:
    rows = await conn.fetch(sql(__package__, "postcodes_by_keys"), keys)
    return {row["postcode_key"]: row for row in rows}


async def postcodes_starting(conn: Connection, prefix: str, *, limit: int) -> list[Row]:
    """Postcodes whose compact key starts with a prefix, in order."""
    return list(await conn.fetch(sql(__package__, "postcodes_starting"), prefix, limit))


async def similar_postcodes(conn: Connection, postcode: Postcode, *, limit: int = 5) -> list[str]:
    """Known postcodes most like an unknown one: from its sector, else its outward code, else
    its area — the closest spellings first."""
    area = re.match(r"[A-Z]+", postcode.outward)[0]  # type: ignore[index]
    for prefix in (postcode.outward + postcode.inward[0], postcode.outward, area):
        rows = await postcodes_starting(conn, prefix, limit=500)
        if rows:
            rows.sort(
                key=lambda r: (
                    Levenshtein.distance(r["postcode_key"], postcode.key),
                    r["postcode_key"],
                )
            )
            return [row["postcode"] for row in rows[:limit]]
    return []
