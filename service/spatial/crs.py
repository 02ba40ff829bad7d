"""Coordinate systems: cached pyproj transformers between British National Grid (the stored
system), WGS84 and Web Mercator, and Great Britain bounds checks whose messages say what to fix.

Every transformer uses ``always_xy``: coordinates go in and come out as (x, y), that is
(easting, northing) or (longitude, latitude), whatever axis order the EPSG definition states.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyproj import Transformer

from service.errors import InvalidInput

BNG = 27700
WGS84 = 4326
WEB_MERCATOR = 3857
SUPPORTED_SRS = (BNG, WGS84, WEB_MERCATOR)

Bounds = tuple[float, float, float, float]  # (min x, min y, max x, max y)


@dataclass(frozen=True)
class Box:
    """A rectangle in one coordinate system."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @property
    def bounds(self) -> Bounds:
        return self.min_x, self.min_y, self.max_x, self.max_y

    def contains(self, x: float, y: float) -> bool:
        return self.min_x <= x <= self.max_x and self.min_y <= y <= self.max_y

    def contains_bounds(self, bounds: Bounds) -> bool:
        return self.contains(bounds[0], bounds[1]) and self.contains(bounds[2], bounds[3])


# Great Britain with its islands (Scilly to Shetland), as eastings/northings and as lon/lat.
GB_BNG = Box(0.0, 0.0, 700_000.0, 1_300_000.0)
GB_LON_LAT = Box(-8.7, 49.8, 1.8, 60.9)
LON_LAT_RANGE = Box(-180.0, -90.0, 180.0, 90.0)

_GB_HINT = (
    "Give a point in Great Britain: lat 49.8 to 60.9 and lon -8.7 to 1.8 (WGS84 degrees), "
    "or x 0 to 700000 and y 0 to 1300000 (British National Grid metres)."
)


@cache
def transformer(source_srs: int, target_srs: int) -> Transformer:
    """The (cached, thread-safe) transformer between two EPSG codes, in (x, y) order."""
    return Transformer.from_crs(source_srs, target_srs, always_xy=True)


def to_bng(x: float, y: float, srs: int = WGS84) -> tuple[float, float]:
    """A point (x, y) in srs — (lon, lat) for 4326 — checked to lie in Great Britain, as
    British National Grid (easting, northing)."""
    check_in_great_britain(x, y, srs)
    if srs == BNG:
        return x, y
    out_x, out_y = transformer(srs, BNG).transform(x, y)
    return float(out_x), float(out_y)


def bng_to(x: float, y: float, srs: int) -> tuple[float, float]:
    """A British National Grid point in another system: (lon, lat) for 4326, metres for 3857."""
    check_srs(srs)
    if srs == BNG:
        return x, y
    out_x, out_y = transformer(BNG, srs).transform(x, y)
    return float(out_x), float(out_y)


def check_srs(srs: int) -> None:
    """Refuse an output system this service does not offer."""
    if srs not in SUPPORTED_SRS:
        raise InvalidInput(
            f"srs {srs} is not supported",
            hint="Use srs=27700 (British National Grid), 4326 (WGS84) or 3857 (Web Mercator).",
        )


def check_lat_lon(lat: float, lon: float) -> None:
    """Refuse a WGS84 point that is not a real position, or not in Great Britain."""
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise InvalidInput(
            f"lat {lat} and lon {lon} are not a position on Earth: lat must be -90 to 90 "
            "and lon -180 to 180",
            hint=_GB_HINT,
        )
    if not GB_LON_LAT.contains(lon, lat):
        swapped = GB_LON_LAT.contains(lat, lon)
        raise InvalidInput(
            f"lat {lat}, lon {lon} is outside Great Britain"
            + (" (lat and lon look swapped)" if swapped else ""),
            hint=_GB_HINT,
        )


def check_bng(x: float, y: float) -> None:
    """Refuse a British National Grid point outside Great Britain."""
    if not GB_BNG.contains(x, y):
        looks_lon_lat = GB_LON_LAT.contains(x, y)
        raise InvalidInput(
            f"x {x}, y {y} is outside Great Britain"
            + (
                " (these look like lon/lat degrees: send them as lon= and lat=)"
                if looks_lon_lat
                else ""
            ),
            hint=_GB_HINT,
        )


def check_in_great_britain(x: float, y: float, srs: int) -> None:
    """Refuse a point outside Great Britain, given as (x, y) in any supported system
    (for 4326 that is (lon, lat))."""
    check_srs(srs)
    if srs == WGS84:
        check_lat_lon(lat=y, lon=x)
    elif srs == BNG:
        check_bng(x, y)
    else:
        check_bng(*transformer(srs, BNG).transform(x, y))


def looks_like_lon_lat(bounds: Bounds) -> bool:
    """Whether a box of coordinates could be longitude/latitude degrees at all."""
    return LON_LAT_RANGE.contains_bounds(bounds)


def looks_like_gb_lon_lat(bounds: Bounds) -> bool:
    """Whether a box of coordinates reads as longitude/latitude in Great Britain."""
    return GB_LON_LAT.contains_bounds(bounds)


def looks_like_gb_bng(bounds: Bounds) -> bool:
    """Whether a box of coordinates reads as British National Grid metres in Great Britain
    (and not as degrees, which would also fit the grid's south-west corner)."""
    return GB_BNG.contains_bounds(bounds) and not looks_like_lon_lat(bounds)
