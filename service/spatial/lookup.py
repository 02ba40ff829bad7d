"""What an area lookup asks for, parsed and checked before any query runs (pure functions):
one point (WGS84 or British National Grid), a UPRN or a postcode, and the area types wanted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from service.errors import InvalidInput
from service.postcodes.parse import Postcode, require_postcode
from service.spatial.crs import WGS84, bng_to
from service.spatial.inputs import (
    PointQuery,
    one_point,
    pair_given,
    point_from_bng,
    point_from_lat_lon,
)

TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ONE_KIND_HINT = "Give one of: lat and lon; x and y (British National Grid); uprn; postcode."
MAX_BULK_POINTS = 100


@dataclass(frozen=True, slots=True)
class Position:
    """Where a lookup is, in both coordinate systems, as echoed back in answers."""

    x: float
    y: float
    lat: float
    lon: float
    uprn: int | None = None


@dataclass(frozen=True)
class UprnQuery:
    uprn: int


LookupQuery = PointQuery | UprnQuery | Postcode


def position_of_point(point: PointQuery) -> Position:
    """A point with both its British National Grid and its WGS84 coordinates."""
    x, y = round(point.x, 2), round(point.y, 2)  # centimetres
    if point.lat is not None and point.lon is not None:
        return Position(x=x, y=y, lat=point.lat, lon=point.lon)
    lon, lat = bng_to(point.x, point.y, WGS84)
    return Position(x=x, y=y, lat=round(lat, 7), lon=round(lon, 7))


def choose_lookup(
    *,
    lat: float | None = None,
    lon: float | None = None,
    x: float | None = None,
    y: float | None = None,
    uprn: int | None = None,
    postcode: str | None = None,
) -> LookupQuery:
    """The one thing a request asks about; refuses none, several, or half a coordinate pair."""
    given = {
        "lat/lon": pair_given("lat", lat, "lon", lon),
        "x/y": pair_given("x", x, "y", y),
        "uprn": uprn is not None,
        "postcode": postcode is not None,
    }
    chosen = [name for name, present in given.items() if present]
    if len(chosen) != 1:
        problem = "nothing to look up" if not chosen else f"{' and '.join(chosen)} given together"
        raise InvalidInput(f"Give exactly one location: {problem}", hint=_ONE_KIND_HINT)
    if lat is not None and lon is not None:
        return point_from_lat_lon(lat, lon)
    if x is not None and y is not None:
        return point_from_bng(x, y)
    if uprn is not None:
        return UprnQuery(uprn)
    return require_postcode(postcode or "")


def parse_types(text: str | None) -> list[str] | None:
    """'parish, ward' -> ['parish', 'ward']; None or blank means every type."""
    if text is None or not text.strip():
        return None
    return clean_types(text.split(","))


def clean_types(names: Sequence[str]) -> list[str] | None:
    """Area type names trimmed, lower-cased and deduplicated; refuses impossible names."""
    types = [name.strip().lower() for name in names if name.strip()]
    for area_type in types:
        if not TYPE_PATTERN.match(area_type):
            raise InvalidInput(
                f"{area_type!r} is not an area type name",
                hint="List types separated by commas, e.g. types=parish,ward.",
            )
    return list(dict.fromkeys(types)) or None


def check_types_known(wanted: list[str] | None, loaded: list[str]) -> None:
    """Refuse types that have no areas loaded, naming those that have."""
    unknown = [area_type for area_type in wanted or [] if area_type not in loaded]
    if unknown:
        available = ", ".join(loaded) if loaded else "none (no boundaries are loaded yet)"
        raise InvalidInput(
            f"unknown area type{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            hint=f"Loaded area types are: {available}.",
        )


class Coordinates(Protocol):
    """One point of a bulk request: lat and lon, or x and y."""

    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def x(self) -> float | None: ...
    @property
    def y(self) -> float | None: ...


def bulk_points(points: Sequence[Coordinates]) -> list[PointQuery]:
    """Checked points of a bulk request: 1 to 100, all in one coordinate system."""
    if not 1 <= len(points) <= MAX_BULK_POINTS:
        raise InvalidInput(
            f"{len(points)} points sent: a request takes 1 to {MAX_BULK_POINTS} points",
            hint=f"Send the points in batches of at most {MAX_BULK_POINTS}.",
        )
    parsed = [_bulk_point(index, point) for index, point in enumerate(points)]
    _check_one_system(parsed)
    return parsed


def _bulk_point(index: int, point: Coordinates) -> PointQuery:
    try:
        return _one_point(point)
    except InvalidInput as problem:
        raise InvalidInput(f"points[{index}]: {problem.message}", hint=problem.hint) from None


def _one_point(point: Coordinates) -> PointQuery:
    if pair_given("lat", point.lat, "lon", point.lon) == pair_given("x", point.x, "y", point.y):
        raise InvalidInput(
            "each point needs lat and lon, or x and y (not both)",
            hint='Write each point as {"lat": 51.8, "lon": -0.98} or {"x": 470495, "y": 207305}.',
        )
    return one_point(lat=point.lat, lon=point.lon, x=point.x, y=point.y)


def _check_one_system(points: list[PointQuery]) -> None:
    in_lat_lon = [index for index, point in enumerate(points) if point.lat is not None]
    if 0 < len(in_lat_lon) < len(points):
        in_bng = sorted(set(range(len(points))) - set(in_lat_lon))
        raise InvalidInput(
            f"mixed coordinate systems: lat/lon in points[{_indexes(in_lat_lon)}] and x/y in "
            f"points[{_indexes(in_bng)}]",
            hint="Send every point of one request in the same system, lat/lon or x/y.",
        )


def _indexes(indexes: list[int]) -> str:
    shown = ", ".join(str(index) for index in indexes[:5])
    return shown + (", ..." if len(indexes) > 5 else "")
