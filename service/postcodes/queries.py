"""Postcode lookups: a postcode's addresses and centre, postcodes starting with a prefix,
bulk lookups by key, and known postcodes like an unknown one. Each function takes the
connection first and runs statements from sql/."""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import Levenshtein

from service.addresses.queries import Page
from service.db.types import Connection
from service.postcodes.parse import Postcode
from service.sqlfiles import sql

Row = Any  # an asyncpg Record


async def addresses_in_postcode(conn: Connection, key: str, *, limit: int, offset: int) -> Page:
    """A postcode's addresses in natural order, a page at a time, with the total."""
    rows = await conn.fetch(sql(__package__, "in_postcode"), key, limit, offset)
    total = rows[0]["total"] if rows else await _count_in_postcode(conn, key)
    return Page(list(rows), total)


async def _count_in_postcode(conn: Connection, key: str) -> int:
    # A page past the end has no rows to carry the total.
    return int(await conn.fetchval(sql(__package__, "count_in_postcode"), key))


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
    for prefix in (postcode.outward + postcode.inward[0], postcode.outward, postcode.area):
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
