"""Which areas contain a point, an address or a postcode, and one area by its code.

Point lookups follow MapIt and Nominatim: an index-friendly test against ``area_parts`` (each
area's polygon cut into small pieces) finds a few small candidates, and the exact ``ST_Covers``
test runs on those pieces only. ``ST_Covers`` counts the boundary as inside, so a point on a
shared boundary is covered by both neighbours; the rule is then one area per type, the one with
the lowest code, so every such point gets one deterministic answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from service.db.types import Connection
from service.spatial.crs import BNG, WGS84
from service.spatial.hierarchy import type_rank
from service.sqlfiles import sql


@dataclass(frozen=True, slots=True)
class Contact:
    """Who to send a report about an area to."""

    name: str | None
    role: str | None
    email: str | None
    phone: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class AreaRef:
    """An area named without its own parent and contacts (as a parent is)."""

    code: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Area:
    """An area as answered: its parent (the area of the next type up containing it) and its
    contacts in the order of the contacts file."""

    code: str
    name: str
    type: str
    parent: AreaRef | None
    contacts: list[Contact]


async def areas_for_points(
    conn: Connection,
    points: Sequence[tuple[float, float]],
    *,
    types: Sequence[str] | None = None,
) -> list[list[Area]]:
    """For each British National Grid (x, y) point, in order, the areas containing it: one per
    type (lowest code on a shared boundary), smallest type first. Unknown types match nothing."""
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    rows = await conn.fetch(
        sql(__package__, "areas_for_points"), xs, ys, list(types) if types else None
    )
    found: list[list[Area]] = [[] for _ in points]
    for row in rows:
        found[row["ord"] - 1].append(area_from_row(row))
    for areas in found:
        areas.sort(key=lambda area: type_rank(area.type))
    return found


async def find_areas_containing(
    conn: Connection, *, x: float, y: float, types: Sequence[str] | None = None
) -> list[Area]:
    """The areas containing one British National Grid point (see ``areas_for_points``)."""
    return (await areas_for_points(conn, [(x, y)], types=types))[0]


def area_from_row(row: asyncpg.Record) -> Area:
    """An Area from a row with code, name, type, parent_* and contacts (a JSON list) columns."""
    parent = None
    if row["parent_code"] is not None:
        parent = AreaRef(row["parent_code"], row["parent_name"], row["parent_type"])
    contacts = [Contact(**contact) for contact in row["contacts"] or []]
    return Area(row["code"], row["name"], row["type"], parent, contacts)


async def loaded_types(conn: Connection) -> list[str]:
    """The area types that have areas loaded, in answer order."""
    rows = await conn.fetch(sql(__package__, "loaded_types"))
    return sorted((row["type"] for row in rows), key=type_rank)


async def address_position(conn: Connection, uprn: int) -> asyncpg.Record | None:
    """An address's x, y (British National Grid) and lat, lon, or None for an unknown UPRN."""
    return await conn.fetchrow(sql(__package__, "address_position"), uprn)


async def postcode_points(conn: Connection, key: str) -> list[tuple[float, float]]:
    """The British National Grid positions of every address with this postcode key."""
    rows = await conn.fetch(sql(__package__, "postcode_points"), key)
    return [(row["x"], row["y"]) for row in rows]


@dataclass(frozen=True, slots=True)
class GeometryRequest:
    """The geometry wanted with an area: its system and a simplification tolerance in metres."""

    srs: int = WGS84
    simplify_m: float = 0.0

    @property
    def decimal_places(self) -> int:
        """Centimetre precision: 7 places of a degree, 2 of a metre."""
        return 7 if self.srs == WGS84 else 2


async def areas_with_code(
    conn: Connection,
    code: str,
    *,
    area_type: str | None = None,
    geometry: GeometryRequest | None = None,
) -> list[tuple[Area, orjson.Fragment | None]]:
    """The areas with this code (one per type that uses it), each with its GeoJSON geometry
    when asked for (passed through to the response without being parsed)."""
    wanted = geometry or GeometryRequest(srs=BNG)
    rows = await conn.fetch(
        sql(__package__, "area_by_code"),
        code,
        area_type,
        geometry is not None,
        wanted.srs,
        wanted.simplify_m,
        wanted.decimal_places,
    )
    return [(area_from_row(row), _fragment(row["geojson"])) for row in rows]


def _fragment(geojson: Any) -> orjson.Fragment | None:
    return orjson.Fragment(geojson) if geojson is not None else None
