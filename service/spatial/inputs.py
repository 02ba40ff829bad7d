"""Coordinates as requests give them, parsed and checked in one place for every face of the
service (the native API, the areas lookups and OS Places): coordinate systems by code or name,
points as lat/lon or x/y pairs or as 'x,y' text, boxes as 'minx,miny,maxx,maxy' text. Every
point is checked to lie in Great Britain and comes back in British National Grid metres.
Pure: a bad value raises InvalidInput saying what was wrong and how to write it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.errors import InvalidInput
from service.spatial.crs import (
    BNG,
    WEB_MERCATOR,
    WGS84,
    Box,
    check_bng,
    check_lat_lon,
    check_srs,
    to_bng,
)

# OS Places names its systems; the native API uses EPSG codes. Both are accepted by both.
SRS_NAMES = {
    "BNG": BNG,
    "EPSG:27700": BNG,
    "27700": BNG,
    "WGS84": WGS84,
    "EPSG:4326": WGS84,
    "4326": WGS84,
    "EPSG:3857": WEB_MERCATOR,
    "3857": WEB_MERCATOR,
}  # fmt: skip  -- a table reads better one system a line than one name a line
POINT_HINT = "Give lat and lon (WGS84 degrees), or x and y (British National Grid metres)."


@dataclass(frozen=True)
class PointQuery:
    """A point in British National Grid, with the WGS84 position the caller gave, if any."""

    x: float
    y: float
    lat: float | None = None
    lon: float | None = None


def srs_code(value: int | str, *, name: str = "srs") -> int:
    """An EPSG code (27700, 4326, 3857) or OS Places name (BNG, WGS84, EPSG:27700...)."""
    code = value if isinstance(value, int) else SRS_NAMES.get(value.strip().upper())
    if code is None:
        raise InvalidInput(
            f"{name} {value!r} is not a coordinate system this service knows",
            hint=f"Use one of {', '.join(SRS_NAMES)}.",
        )
    check_srs(code)
    return code


def point_from_lat_lon(lat: float, lon: float) -> PointQuery:
    """A checked WGS84 point, converted to British National Grid."""
    check_lat_lon(lat, lon)
    x, y = to_bng(lon, lat, WGS84)
    return PointQuery(x=x, y=y, lat=lat, lon=lon)


def point_from_bng(x: float, y: float) -> PointQuery:
    """A checked British National Grid point."""
    check_bng(x, y)
    return PointQuery(x=x, y=y)


def pair_given(name_a: str, a: float | None, name_b: str, b: float | None) -> bool:
    """Whether a coordinate pair was given; half of one is refused, naming the missing half."""
    if (a is None) != (b is None):
        missing = name_b if b is None else name_a
        raise InvalidInput(
            f"{name_a} and {name_b} go together: {missing} is missing", hint=POINT_HINT
        )
    return a is not None


def one_point(
    *, lat: float | None, lon: float | None, x: float | None, y: float | None
) -> PointQuery:
    """One point, given as lat/lon or as BNG x/y, never both, neither or half of one."""
    wgs84 = pair_given("lat", lat, "lon", lon)
    bng = pair_given("x", x, "y", y)
    if wgs84 == bng:
        problem = "both lat/lon and x/y" if wgs84 else "no point"
        raise InvalidInput(f"Give one point: {problem} given", hint=POINT_HINT)
    if lat is not None and lon is not None:
        return point_from_lat_lon(lat, lon)
    assert x is not None and y is not None
    return point_from_bng(x, y)


def numbers(text: str, count: int, *, name: str, form: str) -> tuple[float, ...]:
    """``count`` comma-separated numbers, or InvalidInput showing the expected ``form``."""
    parts = text.split(",")
    try:
        values = tuple(float(part) for part in parts)
    except ValueError:
        values = ()
    if len(values) != count or not all(abs(value) < float("inf") for value in values):
        raise InvalidInput(
            f"{name} must be {count} numbers '{form}', not {text!r}",
            hint=f"Write {name} as {form} with numbers, e.g. in British National Grid metres.",
        )
    return values


def point_in(
    text: str, srs: int, *, lat_first: bool = False, name: str = "point"
) -> tuple[float, float]:
    """'x,y' in srs (or 'lat,lon' with ``lat_first``, as OS Places writes WGS84) as a checked
    British National Grid point."""
    first, second = numbers(text, 2, name=name, form="lat,lon" if lat_first else "x,y")
    x, y = (second, first) if lat_first else (first, second)
    return to_bng(x, y, srs)


def box_in(
    text: str, srs: int, *, lat_first: bool = False, name: str = "bbox", any_corners: bool = False
) -> Box:
    """'minx,miny,maxx,maxy' in srs (lat,lon pairs with ``lat_first``) as a checked British
    National Grid box. Each min must be below its max unless ``any_corners`` (two opposite
    corners in either order, as OS Places takes them)."""
    form = "minlat,minlon,maxlat,maxlon" if lat_first else "minx,miny,maxx,maxy"
    a, b, c, d = numbers(text, 4, name=name, form=form)
    corners = [(b, a), (d, c)] if lat_first else [(a, b), (c, d)]
    if not any_corners and (corners[0][0] >= corners[1][0] or corners[0][1] >= corners[1][1]):
        raise InvalidInput(
            f"{name}: each min must be below its max ({text})", hint=f"Order: {form}."
        )
    return bounding_box([to_bng(x, y, srs) for x, y in corners])


def bounding_box(points: Sequence[tuple[float, float]]) -> Box:
    """The smallest box holding the points."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return Box(min(xs), min(ys), max(xs), max(ys))
