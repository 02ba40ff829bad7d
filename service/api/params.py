"""Query parameters several routers share, and their checks: output system, include=areas,
free text and boxes (parsed by service.spatial.inputs, the one parser of coordinates)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from pydantic import AfterValidator
from starlette.convertors import Convertor, register_url_convertor

from service.errors import InvalidInput
from service.search.normalise import fold
from service.spatial.crs import BNG, SUPPORTED_SRS, Box, check_srs
from service.spatial.inputs import box_in

MAX_BOX_SIDE_M = 2000.0
SRS = BNG


def _supported(srs: int) -> int:
    check_srs(srs)
    return srs


Srs = Annotated[
    int,
    Query(
        description="Coordinates in answers: 27700 (BNG), 4326 (WGS84) or 3857 (Web Mercator)",
        json_schema_extra={"enum": list(SUPPORTED_SRS)},  # checked by _supported, with a hint
    ),
    AfterValidator(_supported),
]
IncludeAreas = Annotated[
    Literal["areas"] | None,
    Query(description="'areas' adds the parish, ward, district... each address is in"),
]


def check_query_text(q: str) -> None:
    """Refuse text with nothing to search for (only spaces, punctuation, emoji...)."""
    if not fold(q):
        raise InvalidInput(
            "q has no letters or digits to search for",
            hint="Type part of an address, e.g. '12 High Street' or a postcode.",
        )


def parse_box(text: str, srs: int, *, name: str, max_side: float | None = None) -> Box:
    """A box 'minx,miny,maxx,maxy' in srs (lon,lat order for 4326) as BNG metres, checked."""
    box = box_in(text, srs, name=name)
    if max_side and (box.max_x - box.min_x > max_side or box.max_y - box.min_y > max_side):
        raise InvalidInput(
            f"{name} is larger than {max_side:.0f} m a side",
            hint="Ask for a smaller box, or several boxes.",
        )
    return box


class NotMatchSegment(Convertor[str]):
    """A path segment other than 'match', for /v1/addresses/{uprn}: GET /v1/addresses/match
    is then the wrong method on POST /v1/addresses/match (405, Allow: POST) rather than a
    UPRN that is not a number (422)."""

    regex = "(?!match$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("not_match", NotMatchSegment())
