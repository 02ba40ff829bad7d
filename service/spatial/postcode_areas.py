"""The areas of a postcode, built from its addresses, not from its centre: a postcode that
straddles a boundary is reported as split, with how many of its addresses fall in each area.
A postcode with no addresses loaded is answered from its postcode point (Code-Point Open or
ONSPD) when one is loaded, and says so."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from service.db.types import Connection
from service.errors import NotFound
from service.postcodes.parse import Postcode
from service.spatial.areas import (
    Area,
    AreaRef,
    Contact,
    areas_for_points,
    postcode_points,
)
from service.spatial.hierarchy import type_rank
from service.sqlfiles import sql

BY_ADDRESSES = "addresses"
BY_POSTCODE_POINT = "postcode_point"


@dataclass(frozen=True, slots=True)
class PostcodeArea:
    """An area holding some of a postcode's addresses."""

    code: str
    name: str
    type: str
    parent: AreaRef | None
    contacts: list[Contact]
    address_count: int


@dataclass(frozen=True, slots=True)
class PostcodeAreas:
    postcode: str
    address_count: int
    split: bool
    split_types: list[str]  # the types whose area differs between the postcode's addresses
    areas: list[PostcodeArea]
    located_by: str = BY_ADDRESSES  # or BY_POSTCODE_POINT


def summarise_postcode(postcode: str, areas_per_address: Sequence[list[Area]]) -> PostcodeAreas:
    """Count the postcode's addresses in each area. A type is split when its addresses fall in
    more than one of its areas, or some fall in one of its areas and some in none."""
    counts = Counter((area.type, area.code) for areas in areas_per_address for area in areas)
    by_key = {(area.type, area.code): area for areas in areas_per_address for area in areas}
    total = len(areas_per_address)
    split_types = sorted(
        {area_type for area_type, _ in counts if _is_split(area_type, counts, total)},
        key=type_rank,
    )
    shares = [_share(by_key[key], count) for key, count in counts.items()]
    shares.sort(key=lambda share: (type_rank(share.type), -share.address_count, share.code))
    return PostcodeAreas(postcode, total, bool(split_types), split_types, shares)


def _is_split(area_type: str, counts: Counter[tuple[str, str]], total: int) -> bool:
    in_type = [count for (kind, _), count in counts.items() if kind == area_type]
    return len(in_type) > 1 or sum(in_type) < total


def _share(area: Area, count: int) -> PostcodeArea:
    return PostcodeArea(area.code, area.name, area.type, area.parent, area.contacts, count)


async def areas_in_postcode(
    conn: Connection, query: Postcode, *, types: Sequence[str] | None = None
) -> PostcodeAreas:
    """The areas of every address with this postcode; with none loaded, the areas at the
    postcode's point; NotFound when it has neither."""
    points = await postcode_points(conn, query.key)
    if points:
        return summarise_postcode(query.display, await areas_for_points(conn, points, types=types))
    point = await conn.fetchrow(sql(__package__, "postcode_point"), query.key)
    if point is None:
        raise NotFound(
            f"No addresses or postcode point have the postcode {query.display}",
            hint="Check the postcode; a new or retired postcode may not be in the loaded data.",
        )
    [areas] = await areas_for_points(conn, [(point["x"], point["y"])], types=types)
    shares = [_share(area, 0) for area in areas]
    return PostcodeAreas(query.display, 0, False, [], shares, located_by=BY_POSTCODE_POINT)
