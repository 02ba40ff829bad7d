"""Addresses: typo-tolerant search and typeahead, bulk matching, UPRN lookup, nearest and
within a box. Connections are borrowed only while statements run: answers are ranked and
rendered with none held."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from service.addresses import queries
from service.addresses.present import address_json, summary_json
from service.api import address_models as models
from service.api.deps import Db
from service.api.params import (
    MAX_BOX_SIDE_M,
    SRS,
    IncludeAreas,
    Srs,
    check_query_text,
    parse_box,
)
from service.api.responses import JsonResponse
from service.api.sizes import MAX_TEXT_CHARS
from service.db.connections import Connections
from service.errors import NotFound
from service.postcodes.parse import require_postcode
from service.search.bias import Bias
from service.search.candidates import Filters
from service.search.engine import complete_addresses, search_addresses
from service.search.rank import Ranked
from service.search.typeahead import MOST_SUGGESTED, SUGGESTED
from service.spatial.areas import Area, areas_for_points
from service.spatial.crs import WGS84
from service.spatial.inputs import one_point, point_in

router = APIRouter(prefix="/v1/addresses", tags=["addresses"])

MAX_PAGE = 100
MAX_OFFSET = 10_000
Q = Annotated[
    str, Query(min_length=1, max_length=MAX_TEXT_CHARS, description="What the resident typed")
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Results per page (1-100)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Results to skip, for paging")]
Near = Annotated[
    str | None,
    Query(
        description="'lat,lon' (WGS84) roughly where the resident is: among matches that fit "
        "the text equally well, the nearest come first. Without it, a key's council with its "
        "home area set (councils add or update) sees its own addresses first.",
        examples=["52.63,1.29"],
    ),
]


Row = Any


async def rows_and_areas(
    db: Connections, uprns: list[int], *, areas: bool = False
) -> tuple[dict[int, Row], dict[int, list[Area]]]:
    """The addresses with these UPRNs and, when asked, the areas each is in (one borrowing)."""
    async with db.connection() as conn:
        rows = await queries.addresses_by_uprn(conn, uprns)
        points = [(row["x"], row["y"]) for row in rows.values()]
        found = await areas_for_points(conn, points) if areas and rows else []
    return rows, dict(zip(rows, found, strict=False))


def ranked_json(
    ranked: list[Ranked],
    rows: dict[int, Row],
    areas: dict[int, list[Area]],
    srs: int,
    *,
    light: bool = False,
) -> list[dict[str, Any]]:
    """Matches as answers, in rank order (one changed by a load since it ranked is left out)."""
    answers = []
    for match in ranked:
        row = rows.get(match.uprn)
        if row is None:
            continue
        body = summary_json(row, srs) if light else address_json(row, srs)
        body["score"] = match.score
        body["match"] = match.match
        if match.uprn in areas:
            body["areas"] = areas[match.uprn]  # dataclasses: orjson writes them as objects
        answers.append(body)
    return answers


def request_bias(request: Request, near: str | None) -> Bias:
    """Whose addresses come first when the text does not decide: those nearest ``near``,
    else the calling council's home area (custodian codes, box)."""
    caller = getattr(request.state, "caller", None)
    point = point_in(near, WGS84, lat_first=True, name="near") if near else None
    if caller is None:
        return Bias(point=point)
    return Bias(caller.home_custodians, caller.home_box, point)


def search_filters(
    *,
    postcode: str | None,
    classification: str | None,
    status: int | None,
    custodian: int | None,
    within: str | None,
    srs: int,
) -> Filters:
    """The request's filters, checked."""
    key = require_postcode(postcode).key if postcode else None
    box = parse_box(within, srs, name="within").bounds if within else None
    return Filters(key, classification, status, custodian, box)


@router.get(
    "/search",
    response_model=models.SearchResults,
    summary="Search addresses by free text, forgiving typos",
)
async def search(
    request: Request,
    db: Db,
    q: Q,
    limit: Limit = 10,
    offset: Offset = 0,
    postcode: Annotated[str | None, Query(description="Only this postcode")] = None,
    classification: Annotated[
        str | None, Query(pattern=r"^[A-Za-z0-9]{1,6}$", description="Class code prefix, e.g. RD")
    ] = None,
    status: Annotated[
        int | None, Query(ge=0, le=9, description="Logical status: 1, 6 or 8")
    ] = None,
    custodian: Annotated[
        int | None, Query(ge=1, le=9999, description="Local custodian code")
    ] = None,
    within: Annotated[str | None, Query(description="Box 'minx,miny,maxx,maxy' in srs")] = None,
    near: Near = None,
    srs: Srs = SRS,
    include: IncludeAreas = None,
) -> Response:
    """Addresses matching free text however it is typed: typos, missing commas, abbreviations
    (rd, st, ave...), flats ("Flat 2, 12", "2/12", "12b"), building and organisation names, a
    postcode anywhere. Best first, each with a score (0-1) and what matched; among equal scores
    the calling council's home area (or those nearest `near`) first. `total` counts the
    matches found; page through them with `offset`."""
    check_query_text(q)
    filters = search_filters(
        postcode=postcode,
        classification=classification,
        status=status,
        custodian=custodian,
        within=within,
        srs=srs,
    )
    bias = request_bias(request, near)
    ranked = await search_addresses(db, q, filters=filters, bias=bias)
    page = ranked[offset : offset + limit]
    rows, areas = await rows_and_areas(db, [match.uprn for match in page], areas=bool(include))
    return JsonResponse({"results": ranked_json(page, rows, areas, srs), "total": len(ranked)})


@router.get(
    "/autocomplete",
    response_model=models.Suggestions,
    summary="Typeahead: suggestions as the resident types",
)
async def autocomplete(
    request: Request,
    db: Db,
    q: Q,
    limit: Annotated[
        int, Query(ge=1, le=MOST_SUGGESTED, description=f"Suggestions (1-{MOST_SUGGESTED})")
    ] = SUGGESTED,
    near: Near = None,
    srs: Srs = SRS,
) -> Response:
    """Suggestions for text still being typed, from the start of the address as it is shown
    (flat, building, number or street first): the last word is a prefix, earlier words forgive
    typos. Among equal scores the calling council's home area (or those nearest `near`) first.
    Each suggestion's `match` says what matched, naming any part it does not show (a locality,
    a former name). A light answer; fetch `/v1/addresses/{uprn}` for the chosen one."""
    check_query_text(q)
    ranked = await complete_addresses(db, q, bias=request_bias(request, near), limit=limit)
    rows, _ = await rows_and_areas(db, [match.uprn for match in ranked])
    return JsonResponse({"results": ranked_json(ranked, rows, {}, srs, light=True)})


@router.post(
    "/match",
    response_model=models.MatchResults,
    summary="Match up to 100 messy addresses to UPRNs",
)
async def match(db: Db, request: models.MatchRequest, srs: Srs = SRS) -> Response:
    """For each free-text address, the best matching address with its score, or null. For
    cleansing a spreadsheet: keep matches above the score you trust, review the rest."""
    found = [await search_addresses(db, text) if text.strip() else [] for text in request.addresses]
    rows, _ = await rows_and_areas(db, [ranked[0].uprn for ranked in found if ranked])
    results = []
    for text, ranked in zip(request.addresses, found, strict=True):
        best = ranked_json(ranked[:1], rows, {}, srs)
        results.append(
            {"input": text, "match": best[0] if best else None, "candidates": len(ranked)}
        )
    return JsonResponse({"results": results})


@router.get(
    "/nearest",
    response_model=models.NearResults,
    summary="Addresses nearest a point",
)
async def nearest(
    db: Db,
    lat: Annotated[float | None, Query(description="WGS84 latitude")] = None,
    lon: Annotated[float | None, Query(description="WGS84 longitude")] = None,
    x: Annotated[float | None, Query(description="BNG easting")] = None,
    y: Annotated[float | None, Query(description="BNG northing")] = None,
    radius: Annotated[float, Query(gt=0, le=1000, description="Metres (up to 1000)")] = 100,
    limit: Limit = 10,
    srs: Srs = SRS,
) -> Response:
    """Addresses within `radius` metres of a point (lat/lon or BNG x/y), nearest first."""
    point = one_point(lat=lat, lon=lon, x=x, y=y)
    async with db.connection() as conn:
        rows = await queries.nearest_addresses(
            conn, x=point.x, y=point.y, radius=radius, limit=limit
        )
    results = [{**address_json(row, srs), "distance": round(row["distance"], 2)} for row in rows]
    return JsonResponse({"results": results})


@router.get(
    "",
    response_model=models.AddressPage,
    summary="Addresses inside a box",
)
async def in_box(
    db: Db,
    bbox: Annotated[str, Query(description="'minx,miny,maxx,maxy' in srs (lon,lat for 4326)")],
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
    srs: Srs = SRS,
) -> Response:
    """Every address inside a box (at most 2 km a side), in natural order, with the total."""
    box = parse_box(bbox, srs, name="bbox", max_side=MAX_BOX_SIDE_M)
    async with db.connection() as conn:
        page = await queries.addresses_in_box(conn, box.bounds, limit=limit, offset=offset)
    results = [address_json(row, srs) for row in page.rows]
    return JsonResponse({"results": results, "total": page.total, "limit": limit, "offset": offset})


@router.get(
    "/{uprn:not_match}",
    response_model=models.AddressDetail,
    summary="One address by UPRN",
    responses={404: {"description": "No address has this UPRN"}},
)
async def by_uprn(
    db: Db,
    uprn: Annotated[
        int, Path(ge=1, le=999_999_999_999, description="Unique Property Reference Number")
    ],
    srs: Srs = SRS,
    include: IncludeAreas = None,
) -> Response:
    """An address with its parent UPRN and the UPRNs inside it (flats of a building)."""
    async with db.connection() as conn:
        row = await queries.address_with_children(conn, uprn)
        areas = await areas_for_points(conn, [(row["x"], row["y"])]) if row and include else []
    if row is None:
        raise NotFound(
            f"No address has UPRN {uprn}",
            hint="Check the number, or search with /v1/addresses/search.",
        )
    body = {**address_json(row, srs), "child_uprns": row["child_uprns"]}
    if areas:
        body["areas"] = areas[0]
    return JsonResponse(body)
