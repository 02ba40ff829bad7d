"""Facts about the loaded test area, read straight from the database and the generated files
(not through the service), so the browser tests compare the widget with an independent truth."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from tests.support.sql import rows

AREA_FILES = {"parish": "parishes", "ward": "wards"}


def plain_house(url: str, *, nth: int = 40) -> dict[str, Any]:
    """A numbered house on a named street in a named locality (no flat, no building name)."""
    return rows(
        url,
        "SELECT * FROM addresses WHERE building_number IS NOT NULL AND thoroughfare IS NOT NULL "
        "AND dependent_locality IS NOT NULL AND sub_building_name IS NULL "
        "AND building_name IS NULL AND dependent_thoroughfare IS NULL "
        "ORDER BY uprn OFFSET %s LIMIT 1",
        nth,
    )[0]


def misspelt(row: dict[str, Any]) -> str:
    """How a hurried resident types the address: lower case, street name misspelt (two
    letters swapped), 'street' cut short, the locality without its last letter."""
    first, *rest = row["thoroughfare"].lower().split()
    first = first[0] + first[2] + first[1] + first[3:]
    rest = [word[:3] if word == "street" else word for word in rest]
    locality = row["dependent_locality"].lower()[:-1]
    return f"{row['building_number']} {' '.join([first, *rest])} {locality}"


def building_with_flats_2_and_10(url: str) -> dict[str, Any]:
    """A postcode with a building holding both Flat 2 and Flat 10."""
    return rows(
        url,
        "SELECT a.postcode, a.parent_uprn, a.uprn AS flat_10, b.uprn AS flat_2 "
        "FROM addresses a JOIN addresses b ON b.parent_uprn = a.parent_uprn "
        "AND b.postcode = a.postcode AND b.sub_building_name = 'FLAT 2' "
        "WHERE a.sub_building_name = 'FLAT 10' ORDER BY a.postcode LIMIT 1",
    )[0]


def addresses_in(url: str, postcode: str) -> int:
    found = rows(url, "SELECT count(*) AS n FROM addresses WHERE postcode = %s", postcode)
    return int(found[0]["n"])


@cache
def _areas(supply: Path, area_type: str) -> list[tuple[str, str, Any]]:
    path = supply / "boundaries" / f"{AREA_FILES[area_type]}.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [
        (f["properties"]["code"], f["properties"]["name"], shape(f["geometry"])) for f in features
    ]


def area_containing(supply: Path, area_type: str, x: float, y: float) -> tuple[str, str] | None:
    """The code and name of the generated area of this type containing the point."""
    point = shapely.Point(x, y)
    inside = sorted(
        (code, name) for code, name, geom in _areas(supply, area_type) if geom.covers(point)
    )
    return inside[0] if inside else None


def house_in_parish_with_clerk(url: str, supply: Path, contacts: list[dict[str, str]]) -> Any:
    """A plain house whose parish has a Parish Clerk in the contacts file, with both."""
    clerks = {c["area_code"]: c for c in contacts if c["role"] == "Parish Clerk"}
    for nth in range(0, 400, 7):
        house = plain_house(url, nth=nth)
        parish = area_containing(supply, "parish", house["x"], house["y"])
        if parish and parish[0] in clerks:
            return house, parish, clerks[parish[0]]
    raise AssertionError("no house in a parish with a clerk in the test area")
