"""Addresses: typo-tolerant search and typeahead, bulk matching, UPRN lookup, nearest and
within a box."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from service.addresses import queries
from service.addresses.present import address_json, summary_json
from service.api import address_models as models
from service.api.deps import Pool
from service.api.params import (
    MAX_BOX_SIDE_M,
    SRS,
    IncludeAreas,
    Srs,
    check_query_text,
    parse_box,
    point_from,
)
from service.db.types import Connection
from service.errors import InvalidInput, NotFound
from service.responses import JsonResponse
from service.search.candidates import Filters
from service.search.engine import search_addresses
from service.search.postcode import parse_postcode
from service.search.rank import Ranked
from service.spatial.areas import areas_for_points

router = APIRouter(prefix="/v1/addresses", tags=["addresses"])

MAX_PAGE = 100
MAX_OFFSET = 10_000
Q = Annotated[str, Query(min_length=1, max_length=200, description="What the resident typed")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Results per page (1-100)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Results to skip, for paging")]


async def with_areas(conn: Connection, results: list[dict[str, Any]], rows: list[Any]) -> None:
    """Attach the areas each address is in (include=areas)."""
    found = await areas_for_points(conn, [(row["x"], row["y"]) for row in rows])
    for result, areas in zip(results, found, strict=True):
        result["areas"] = areas  # dataclasses: orjson writes them as objects


async def ranked_json(
    conn: Connection, ranked: list[Ranked], srs: int, *, light: bool = False
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Ranked matches as answers, in rank order, with their rows."""
    rows = await queries.addresses_by_uprn(conn, [r.uprn for r in ranked])
    answers, kept = [], []
    for match in ranked:
        row = rows.get(match.uprn)
        if row is None:  # changed by a load between the two statements
            continue
        body = summary_json(row, srs) if light else address_json(row, srs)
        body["score"] = match.score
        if not light:
            body["match"] = match.match
        answers.append(body)
        kept.append(row)
    return answers, kept


def search_filters(
    *, postcode: str | None, classification: str | None, status: int | None,
    custodian: int | None, within: str | None, srs: int,
) -> Filters:  # fmt: skip
    """The request's filters, checked."""
    key = None
    if postcode:
        parsed = parse_postcode(postcode)
        if parsed is None:
            raise InvalidInput(
                f"postcode {postcode!r} is not a full UK postcode", hint="e.g. 'FX1 2AB'"
            )
        key = parsed.key
    box = parse_box(within, srs, name="within") if within else None
    return Filters(key, classification, status, custodian, box)


@router.get(
    "/search",
    response_model=models.SearchResults,
    summary="Search addresses by free text, forgiving typos",
)
async def search(
    pool: Pool,
    q: Q,
    limit: Limit = 10,
    offset: Offset = 0,
    postcode: Annotated[str | None, Query(description="Only this postcode")] = None,
    classification: Annotated[
        str | None, Query(pattern=r"^[A-Za-z0-9]{1,6}$", description="Class code prefix, e.g. RD")
    ] = None,
    status: Annotated[int | None, Query(description="Logical status: 1, 6 or 8")] = None,
    custodian: Annotated[int | None, Query(description="Local custodian code")] = None,
    within: Annotated[str | None, Query(description="Box 'minx,miny,maxx,maxy' in srs")] = None,
    srs: Srs = SRS,
    include: IncludeAreas = None,
) -> Response:
    """Addresses matching free text however it is typed: typos, missing commas, abbreviations
    (rd, st, ave...), flats ("Flat 2, 12", "2/12", "12b"), building and organisation names, a
    postcode anywhere. Best first, each with a score (0-1) and what matched. `total` counts the
    matches found; page through them with `offset`."""
    check_query_text(q)
    filters = search_filters(
        postcode=postcode, classification=classification, status=status,
        custodian=custodian, within=within, srs=srs,
    )  # fmt: skip
    async with pool.acquire() as conn:
        ranked = await search_addresses(conn, q, filters=filters)
        results, rows = await ranked_json(conn, ranked[offset : offset + limit], srs)
        if include:
            await with_areas(conn, results, rows)
    return JsonResponse({"results": results, "total": len(ranked)})


@router.get(
    "/autocomplete",
    response_model=models.Suggestions,
    summary="Typeahead: suggestions as the resident types",
)
async def autocomplete(
    pool: Pool,
    q: Q,
    limit: Annotated[int, Query(ge=1, le=20, description="Suggestions (1-20)")] = 8,
    srs: Srs = SRS,
) -> Response:
    """Suggestions for text still being typed: the last word is a prefix, earlier words
    forgive typos. A light answer; fetch `/v1/addresses/{uprn}` for the chosen one."""
    check_query_text(q)
    async with pool.acquire() as conn:
        ranked = await search_addresses(conn, q, typeahead=True)
        results, _ = await ranked_json(conn, ranked[:limit], srs, light=True)
    return JsonResponse({"results": results})


@router.post(
    "/match",
    response_model=models.MatchResults,
    summary="Match up to 100 messy addresses to UPRNs",
)
async def match(pool: Pool, request: models.MatchRequest, srs: Srs = SRS) -> Response:
    """For each free-text address, the best matching address with its score, or null. For
    cleansing a spreadsheet: keep matches above the score you trust, review the rest."""
    results = []
    async with pool.acquire() as conn:
        for text in request.addresses:
            ranked = await search_addresses(conn, text) if text.strip() else []
            best, _ = await ranked_json(conn, ranked[:1], srs)
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
    pool: Pool,
    lat: Annotated[float | None, Query(description="WGS84 latitude")] = None,
    lon: Annotated[float | None, Query(description="WGS84 longitude")] = None,
    x: Annotated[float | None, Query(description="BNG easting")] = None,
    y: Annotated[float | None, Query(description="BNG northing")] = None,
    radius: Annotated[float, Query(gt=0, le=1000, description="Metres (up to 1000)")] = 100,
    limit: Limit = 10,
    srs: Srs = SRS,
) -> Response:
    """Addresses within `radius` metres of a point (lat/lon or BNG x/y), nearest first."""
    point = point_from(lat=lat, lon=lon, x=x, y=y)
    async with pool.acquire() as conn:
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
    pool: Pool,
    bbox: Annotated[str, Query(description="'minx,miny,maxx,maxy' in srs (lon,lat for 4326)")],
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
    srs: Srs = SRS,
) -> Response:
    """Every address inside a box (at most 2 km a side), in natural order, with the total."""
    box = parse_box(bbox, srs, name="bbox", max_side=MAX_BOX_SIDE_M)
    async with pool.acquire() as conn:
        page = await queries.addresses_in_box(conn, box, limit=limit, offset=offset)
    results = [address_json(row, srs) for row in page.rows]
    return JsonResponse({"results": results, "total": page.total, "limit": limit, "offset": offset})


@router.get(
    "/{uprn}",
    response_model=models.AddressDetail,
    summary="One address by UPRN",
    responses={404: {"description": "No address has this UPRN"}},
)
async def by_uprn(
    pool: Pool,
    uprn: Annotated[
        int, Path(ge=1, le=999_999_999_999, description="Unique Property Reference Number")
    ],
    srs: Srs = SRS,
    include: IncludeAreas = None,
) -> Response:
    """An address with its parent UPRN and the UPRNs inside it (flats of a building)."""
    async with pool.acquire() as conn:
        row = await queries.address_with_children(conn, uprn)
        if row is None:
            raise NotFound(
                f"No address has UPRN {uprn}",
                hint="Check the number, or search with /v1/addresses/search.",
            )
        body = {**address_json(row, srs), "child_uprns": row["child_uprns"]}
        if include:
            await with_areas(conn, [body], [row])
    return JsonResponse(body)
