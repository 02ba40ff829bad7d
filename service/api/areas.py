"""Areas: which parish, ward, district or custom area a point, address or postcode is in, with
who to contact there; one area with its boundary; bulk lookups of up to 100 points.

The pydantic models document the answers (OpenAPI); the handlers return the data layer's
dataclasses straight through orjson, which is several times quicker than validating models."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StringConstraints
from starlette.responses import Response

from service.api.deps import Db
from service.api.responses import JsonResponse
from service.db.types import Connection
from service.errors import InvalidInput, NotFound
from service.postcodes.parse import Postcode
from service.spatial import areas as spatial
from service.spatial.crs import SUPPORTED_SRS, WGS84, check_srs
from service.spatial.inputs import PointQuery
from service.spatial.lookup import (
    MAX_BULK_POINTS,
    TYPE_PATTERN,
    Position,
    UprnQuery,
    bulk_points,
    check_types_known,
    choose_lookup,
    clean_types,
    parse_types,
    position_of_point,
)
from service.spatial.postcode_areas import areas_in_postcode

router = APIRouter(prefix="/v1/areas", tags=["areas"])

BOUNDARY_RULE = """A point on a boundary shared by two areas of one type (in one data set)
is inside both; the answer then holds one area per type and data set,
the one with the lowest code, so every point has one deterministic answer, and a point on the
seam between two councils' data sets gets the area of each. Areas are listed smallest type first
(parish, ward, district, county), then custom types by name. A point in no loaded area gets 200
with an empty list."""


class ContactOut(BaseModel):
    name: str | None = Field(description="Who to contact, e.g. 'Jane Smith'")
    role: str | None = Field(description="Their role, e.g. 'Parish Clerk'")
    email: str | None
    phone: str | None
    url: str | None


class AreaRefOut(BaseModel):
    code: str
    name: str
    type: str


class AreaOut(BaseModel):
    code: str = Field(description="The area's code, e.g. the GSS code E04001490")
    name: str
    type: str = Field(description="parish, ward, district, county or a custom type")
    parent: AreaRefOut | None = Field(description="The area of the next type up containing it")
    contacts: list[ContactOut]


class PositionOut(BaseModel):
    x: float = Field(description="Easting, British National Grid (EPSG:27700)")
    y: float = Field(description="Northing, British National Grid (EPSG:27700)")
    lat: float = Field(description="Latitude, WGS84 (EPSG:4326)")
    lon: float = Field(description="Longitude, WGS84 (EPSG:4326)")
    uprn: int | None = Field(description="The address asked about, if any")


class PointAreasOut(BaseModel):
    query: PositionOut
    areas: list[AreaOut]


class PostcodeAreaOut(AreaOut):
    address_count: int = Field(description="How many of the postcode's addresses are in it")


class PostcodeAreasOut(BaseModel):
    postcode: str
    address_count: int
    split: bool = Field(description="True when the postcode's addresses are in different areas")
    split_types: list[str] = Field(description="The types whose area differs between addresses")
    areas: list[PostcodeAreaOut]
    located_by: str = Field(
        description="'addresses': each area counts the postcode's addresses in it; "
        "'postcode_point': no address of the postcode is loaded, so the areas are those at "
        "its postcode point (Code-Point Open or ONSPD), with address_count 0"
    )


class AreaWithGeometryOut(AreaOut):
    srs: int | None = Field(description="EPSG code of the geometry, when asked for")
    geometry: dict[str, Any] | None = Field(description="GeoJSON MultiPolygon, when asked for")


class BulkPoint(BaseModel):
    lat: float | None = None
    lon: float | None = None
    x: float | None = None
    y: float | None = None


class BulkRequest(BaseModel):
    points: list[BulkPoint] = Field(
        description=f"1 to {MAX_BULK_POINTS} points, all lat/lon or all x/y",
        json_schema_extra={"minItems": 1, "maxItems": MAX_BULK_POINTS},
    )
    types: list[Annotated[str, StringConstraints(max_length=64)]] | None = Field(
        default=None, max_length=20, description="Only these area types"
    )


class BulkResultsOut(BaseModel):
    results: list[PointAreasOut] = Field(description="One per point, in the order sent")


TypesParam = Annotated[
    str | None, Query(description="Only these area types, comma-separated, e.g. parish,ward")
]
LOOKUP_DESCRIPTION = f"""Give exactly one of: `lat` and `lon` (WGS84), `x` and `y` (British
National Grid), `uprn`, or `postcode`. For a postcode the answer is built from its addresses: when
they fall in different areas it says the postcode is split and counts the addresses in each.
When none of its addresses is loaded but its postcode point is (`address-lookup load postcodes`),
the answer holds the areas at that point and says `located_by: postcode_point`.

{BOUNDARY_RULE}"""


@router.get(
    "",
    response_model=PointAreasOut | PostcodeAreasOut,
    summary="The areas containing a point, an address or a postcode",
    description=LOOKUP_DESCRIPTION,
    responses={404: {"description": "Unknown UPRN, or no addresses with that postcode"}},
)
async def areas_at(
    db: Db,
    *,
    lat: Annotated[float | None, Query(description="Latitude, 49.8 to 60.9")] = None,
    lon: Annotated[float | None, Query(description="Longitude, -8.7 to 1.8")] = None,
    x: Annotated[float | None, Query(description="Easting, 0 to 700000")] = None,
    y: Annotated[float | None, Query(description="Northing, 0 to 1300000")] = None,
    uprn: Annotated[
        int | None, Query(ge=1, le=999_999_999_999, description="An address's UPRN")
    ] = None,
    postcode: Annotated[str | None, Query(description="e.g. 'HP19 9BJ', any case")] = None,
    types: TypesParam = None,
) -> Response:
    query = choose_lookup(lat=lat, lon=lon, x=x, y=y, uprn=uprn, postcode=postcode)
    wanted = parse_types(types)
    async with db.connection() as conn:
        await check_types(conn, wanted)
        if isinstance(query, Postcode):
            return JsonResponse(await areas_in_postcode(conn, query, types=wanted))
        where = await position_of(conn, query)
        areas = await spatial.find_areas_containing(conn, x=where.x, y=where.y, types=wanted)
    return JsonResponse({"query": where, "areas": areas})


@router.post(
    "",
    response_model=BulkResultsOut,
    summary=f"The areas containing each of up to {MAX_BULK_POINTS} points",
    description=f"""Send 1 to {MAX_BULK_POINTS} points, every one as lat/lon or every one as
x/y; the results come back in the order sent.

{BOUNDARY_RULE}""",
)
async def areas_at_points(db: Db, request: BulkRequest) -> Response:
    points = bulk_points(request.points)
    wanted = clean_types(request.types or [])
    async with db.connection() as conn:
        await check_types(conn, wanted)
        found = await spatial.areas_for_points(conn, [(p.x, p.y) for p in points], types=wanted)
    results = [
        {"query": position_of_point(point), "areas": areas}
        for point, areas in zip(points, found, strict=True)
    ]
    return JsonResponse({"results": results})


@router.get(
    "/{code}",
    response_model=AreaWithGeometryOut,
    summary="One area by its code, optionally with its boundary",
    responses={404: {"description": "No area has this code (of this type)"}},
)
async def area_by_code(
    db: Db,
    code: str,
    *,
    area_type: Annotated[
        str | None,
        Query(
            alias="type",
            pattern=TYPE_PATTERN.pattern,
            description="The area's type; needed only when areas of several types share the code",
        ),
    ] = None,
    geometry: Annotated[bool, Query(description="Include the boundary as GeoJSON")] = False,
    srs: Annotated[
        int,
        Query(
            description="EPSG code of the geometry: 4326, 27700 or 3857",
            json_schema_extra={"enum": list(SUPPORTED_SRS)},
        ),
    ] = WGS84,
    simplify: Annotated[
        float, Query(ge=0, le=10_000, description="Simplify the boundary to this many metres")
    ] = 0.0,
) -> Response:
    check_srs(srs)
    wanted = spatial.GeometryRequest(srs=srs, simplify_m=simplify) if geometry else None
    async with db.connection() as conn:
        found = await spatial.areas_with_code(conn, code, area_type=area_type, geometry=wanted)
    area, shape = the_one_area(code, area_type, found)
    body = {**_area_fields(area), "srs": srs if geometry else None, "geometry": shape}
    return JsonResponse(body)


async def check_types(conn: Connection, wanted: list[str] | None) -> None:
    """Refuse area types with no areas loaded (checked only when types are asked for)."""
    if wanted:
        check_types_known(wanted, await spatial.loaded_types(conn))


async def position_of(conn: Connection, query: PointQuery | UprnQuery) -> Position:
    """Where a point or an address is, in both coordinate systems; NotFound for unknown UPRNs."""
    if isinstance(query, PointQuery):
        return position_of_point(query)
    row = await spatial.address_position(conn, query.uprn)
    if row is None:
        raise NotFound(f"No address has UPRN {query.uprn}", hint="Check the UPRN.")
    return Position(x=row["x"], y=row["y"], lat=row["lat"], lon=row["lon"], uprn=query.uprn)


AreaFound = tuple[spatial.Area, orjson.Fragment | None]


def the_one_area(code: str, area_type: str | None, found: list[AreaFound]) -> AreaFound:
    """The single area asked for: NotFound when none, InvalidInput when the code is ambiguous."""
    if not found:
        of_type = f" of type {area_type}" if area_type else ""
        raise NotFound(f"No area{of_type} has the code {code!r}", hint="Check the code.")
    if len(found) > 1:
        types = ", ".join(area.type for area, _ in found)
        raise InvalidInput(
            f"the code {code!r} is used by areas of several types: {types}",
            hint=f"Add type= with one of: {types}.",
        )
    return found[0]


def _area_fields(area: spatial.Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "type": area.type,
        "parent": area.parent,
        "contacts": area.contacts,
    }
