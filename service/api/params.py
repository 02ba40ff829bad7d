"""Query parameters several routers share, and their checks: output system, include=areas,
free text, boxes and points."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from service.errors import InvalidInput
from service.search.normalise import fold
from service.spatial.crs import BNG, SUPPORTED_SRS, WGS84, check_in_great_britain, to_bng
from service.spatial.lookup import PointQuery, point_from_bng, point_from_lat_lon

MAX_BOX_SIDE_M = 2000.0
SRS = BNG
Srs = Annotated[
    int,
    Query(description="Coordinates in answers: 27700 (BNG), 4326 (WGS84) or 3857 (Web Mercator)"),
]
IncludeAreas = Annotated[
    Literal["areas"] | None,
    Query(description="'areas' adds the parish, ward, district... each address is in"),
]
_POINT_HINT = "Give lat and lon (WGS84 degrees), or x and y (British National Grid metres)."


def check_srs_supported(srs: int) -> None:
    if srs not in SUPPORTED_SRS:
        raise InvalidInput(f"srs {srs} is not supported", hint="Use 27700, 4326 or 3857.")


def check_query_text(q: str) -> None:
    """Refuse text with nothing to search for (only spaces, punctuation, emoji...)."""
    if not fold(q):
        raise InvalidInput(
            "q has no letters or digits to search for",
            hint="Type part of an address, e.g. '12 High Street' or a postcode.",
        )


def parse_box(
    text: str, srs: int, *, name: str, max_side: float | None = None
) -> tuple[float, float, float, float]:
    """A box 'minx,miny,maxx,maxy' in srs (lon,lat order for 4326) as BNG metres, checked."""
    check_srs_supported(srs)
    try:
        min_x, min_y, max_x, max_y = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidInput(
            f"{name} must be four numbers 'minx,miny,maxx,maxy', not {text!r}",
            hint="e.g. bbox=450000,250000,451000,251000 (BNG) or with srs=4326 lon,lat pairs.",
        ) from None
    if min_x >= max_x or min_y >= max_y:
        raise InvalidInput(
            f"{name}: each min must be below its max ({text})", hint="Order: minx,miny,maxx,maxy."
        )
    for x, y in ((min_x, min_y), (max_x, max_y)):
        check_in_great_britain(x, y, srs)
    if srs == WGS84:
        min_x, min_y = to_bng(min_x, min_y)
        max_x, max_y = to_bng(max_x, max_y)
    elif srs != BNG:
        raise InvalidInput(
            f"{name} in srs {srs} is not supported", hint="Give it in 27700 or 4326."
        )
    if max_side and (max_x - min_x > max_side or max_y - min_y > max_side):
        raise InvalidInput(
            f"{name} is larger than {max_side:.0f} m a side",
            hint="Ask for a smaller box, or several boxes.",
        )
    return min_x, min_y, max_x, max_y


def point_from(
    *, lat: float | None, lon: float | None, x: float | None, y: float | None
) -> PointQuery:
    """One point, given as lat/lon or as BNG x/y, never both or half of one."""
    wgs84 = lat is not None or lon is not None
    bng = x is not None or y is not None
    if wgs84 == bng:
        problem = "both lat/lon and x/y" if wgs84 else "no point"
        raise InvalidInput(f"Give one point: {problem} given", hint=_POINT_HINT)
    if wgs84:
        if lat is None or lon is None:
            raise InvalidInput("lat and lon go together: one is missing", hint=_POINT_HINT)
        return point_from_lat_lon(lat, lon)
    if x is None or y is None:
        raise InvalidInput("x and y go together: one is missing", hint=_POINT_HINT)
    return point_from_bng(x, y)
