"""OS Places API compatible endpoints under /search/places/v1: find, postcode, uprn, nearest,
bbox, radius and polygon, answering with OS's JSON (a header, then DPA and/or LPI records) and
OS's error shape. A council points an existing OS Places client here by changing its base URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request
from starlette.responses import Response

from service.api.deps import Db
from service.api.osplaces_models import OsPlacesAnswer
from service.api.responses import JsonResponse
from service.db.types import Connection
from service.errors import ApiError, InvalidInput
from service.osplaces import params as p
from service.osplaces import queries
from service.osplaces.records import dpa_record, lpi_record, with_match
from service.postcodes.parse import compact, is_outward_code, parse_postcode, parse_sector
from service.search.engine import search_addresses
from service.spatial.areas import areas_for_points

PREFIX = "/search/places/v1"
router = APIRouter(prefix=PREFIX, tags=["OS Places compatible"])
NO_LIMIT = 1_000_000


@dataclass(frozen=True)
class OsCommon:
    """The parameters every OS Places request takes, checked."""

    maxresults: int
    offset: int
    datasets: tuple[str, ...]
    srs: int  # of coordinates in the request
    output_srs: int
    welsh: bool
    fq: list[p.FqFilter]
    matchprecision: int
    lr: str | None


# Documented for clients; checked in os_common, which answers OS Places' own 400 messages.
LR_PATTERN = "^([Ee][Nn]|[Cc][Yy])$"


def _range(low: int, high: int) -> dict[str, int]:
    return {"minimum": low, "maximum": high}


async def os_common(
    *,
    key: Annotated[
        str | None, Query(description="API key (accepted; enforced when keys exist)")
    ] = None,
    format: Annotated[str, Query(description="JSON (the only format offered)")] = "JSON",
    maxresults: Annotated[
        int, Query(description="Records per page, 1-100", json_schema_extra=_range(1, 100))
    ] = 100,
    offset: Annotated[
        int, Query(description="Records to skip", json_schema_extra=_range(0, NO_LIMIT))
    ] = 0,
    dataset: Annotated[str | None, Query(description="DPA, LPI or DPA,LPI")] = None,
    srs: Annotated[
        str | None, Query(description="System of request coordinates (BNG, WGS84...)")
    ] = None,
    output_srs: Annotated[str | None, Query(description="System of answer coordinates")] = None,
    lr: Annotated[
        str | None, Query(description="EN or CY", json_schema_extra={"pattern": LR_PATTERN})
    ] = None,
    fq: Annotated[
        list[str], Query(default_factory=list, description="e.g. CLASSIFICATION_CODE:RD*")
    ],
    matchprecision: Annotated[
        int, Query(description="Decimals of MATCH, 1-10", json_schema_extra=_range(1, 10))
    ] = 1,
) -> OsCommon:
    """Check the shared parameters as OS Places does (async: no worker thread per request)."""
    if format.upper() != "JSON":
        raise InvalidInput(f"Requested format value of {format} is invalid. Only JSON is offered.")
    p.check_range("maxresults", maxresults, 1, 100)
    p.check_range("offset", offset, 0, NO_LIMIT)
    p.check_range("matchprecision", matchprecision, 1, 10)
    if lr is not None and lr.upper() not in ("EN", "CY"):
        raise InvalidInput(f"Requested lr value of {lr} is invalid. Valid values are EN and CY.")
    input_srs = p.parse_srs(srs, "srs")
    out = p.parse_srs(output_srs, "output_srs") if output_srs else input_srs
    welsh = (lr or "").upper() == "CY"
    return OsCommon(
        maxresults,
        offset,
        p.parse_dataset(dataset),
        input_srs,
        out,
        welsh,
        p.parse_fq(fq),
        matchprecision,
        lr,
    )


Common = Annotated[OsCommon, Depends(os_common)]


@dataclass(frozen=True)
class AnswerContext:
    """What an answer reads besides its records: the data version, and each address's ward
    and parish codes (when such boundaries are loaded)."""

    epoch: tuple[str, str]
    codes: dict[int, dict[str, str]]


async def answer_context(conn: Connection, rows: list[Any]) -> AnswerContext:
    found = await areas_for_points(conn, [(r["x"], r["y"]) for r in rows], types=["ward", "parish"])
    codes = {
        row["uprn"]: {area.type: area.code for area in areas}
        for row, areas in zip(rows, found, strict=True)
    }
    return AnswerContext(await queries.epoch(conn), codes)


def _record(row: Any, common: OsCommon, areas: dict[str, str], score: float) -> dict[str, Any]:
    if row["kind"] == "DPA":
        record = dpa_record(row, common.output_srs, welsh=common.welsh, areas=areas)
    else:
        record = lpi_record(row, common.output_srs, areas=areas)
    return {row["kind"]: with_match(record, score, common.matchprecision)}


@dataclass(frozen=True)
class Answer:
    """One page of records for a request, with how many there are in all."""

    asked: str
    rows: list[Any]
    total: int
    context: AnswerContext
    scores: dict[int, float] = field(default_factory=dict)


def public_uri(request: Request) -> str:
    """The request's URL under ADDRESS_LOOKUP_PUBLIC_URL (never the Host header, which the
    caller chooses); the path and query alone when it is not set."""
    base = (request.app.state.settings.server.public_url or "").rstrip("/")
    query = request.url.query
    return f"{base}{request.url.path}" + (f"?{query}" if query else "")


def answer(request: Request, common: OsCommon, found: Answer) -> Response:
    """OS's answer: the header, then the records (left out when nothing matched, as OS)."""
    epoch, last_update = found.context.epoch
    header = {
        "uri": public_uri(request),
        "query": found.asked,
        "offset": common.offset,
        "totalresults": found.total,
        "format": "JSON",
        "dataset": ",".join(common.datasets),
        "lr": (common.lr or "EN,CY").upper(),
        "maxresults": common.maxresults,
        "matchprecision": common.matchprecision,
        "epoch": epoch,
        "lastupdate": last_update,
        "output_srs": p.srs_label(common.output_srs),
    }
    body: dict[str, Any] = {"header": header}
    if found.rows:
        body["results"] = [
            _record(r, common, found.context.codes[r["uprn"]], found.scores.get(r["uprn"], 1.0))
            for r in found.rows
        ]
    return JsonResponse(body)


async def paged(
    db: Db, request: Request, common: Common, asked: str, selection: queries.Selection
) -> Response:
    """A page of the selected addresses' records, in the selection's order."""
    async with db.connection() as conn:
        page = await queries.records(
            conn,
            selection,
            datasets=common.datasets,
            fq=common.fq,
            limit=common.maxresults,
            offset=common.offset,
        )
        context = await answer_context(conn, page.rows)
    return answer(request, common, Answer(asked, page.rows, page.total, context))


@router.get("/find", response_model=OsPlacesAnswer, summary="Free-text search (OS Places find)")
async def find(
    db: Db,
    request: Request,
    common: Common,
    query: Annotated[str, Query(min_length=1, max_length=200, description="Free text")],
    minmatch: Annotated[float | None, Query(description="Lowest MATCH to return, 0.1-1")] = None,
) -> Response:
    """Addresses matching free text, best first, each with its MATCH score."""
    if minmatch is not None:
        p.check_range("minmatch", minmatch, 0.1, 1)
    ranked = [r for r in await search_addresses(db, query) if r.score >= (minmatch or 0)]
    scores = {r.uprn: r.score for r in ranked}
    async with db.connection() as conn:
        page = await queries.records(
            conn,
            queries.with_uprns(list(scores)),
            datasets=common.datasets,
            fq=common.fq,
            limit=NO_LIMIT,
            offset=0,
        )
        order = {uprn: position for position, uprn in enumerate(scores)}
        rows = sorted(page.rows, key=lambda row: order[row["uprn"]])
        window = rows[common.offset : common.offset + common.maxresults]
        context = await answer_context(conn, window)
    found = Answer(f"query={query}", window, len(rows), context, scores)
    return answer(request, common, found)


@router.get(
    "/postcode",
    response_model=OsPlacesAnswer,
    summary="Addresses in a postcode, sector or district",
)
async def postcode(
    db: Db,
    request: Request,
    common: Common,
    postcode: Annotated[str, Query(description="e.g. SO16 0AS, SO16 0 or SO16")],
) -> Response:
    """Every address in a full postcode, a sector or an outward code (at least area and
    district), in natural order."""
    parsed, sector, key = parse_postcode(postcode), parse_sector(postcode), compact(postcode)
    if not (parsed or sector or is_outward_code(key)):
        raise InvalidInput(
            "Requested postcode must contain a minimum of the area and district, e.g. SO16. "
            f"Requested postcode was {postcode}"
        )
    prefix = parsed.key if parsed else "".join(sector) if sector else key
    return await paged(db, request, common, f"postcode={postcode}", queries.in_postcode(prefix))


@router.get("/uprn", response_model=OsPlacesAnswer, summary="One address by UPRN")
async def uprn(
    db: Db,
    request: Request,
    common: Common,
    uprn: Annotated[int, Query(ge=1, le=999_999_999_999, description="The address's UPRN")],
) -> Response:
    """The DPA and/or LPI record of one UPRN."""
    return await paged(db, request, common, f"uprn={uprn}", queries.with_uprns([uprn]))


@router.get("/nearest", response_model=OsPlacesAnswer, summary="The address nearest a point")
async def nearest(
    db: Db,
    request: Request,
    common: Common,
    point: Annotated[str, Query(description="x,y (lat,lng with srs=WGS84)")],
    radius: Annotated[float, Query(description="Metres to look within, up to 1000")] = 50,
) -> Response:
    """The closest address to a point within the radius."""
    p.check_range("radius", radius, 0.01, p.MAX_RADIUS_M)
    x, y = p.parse_point(point, common.srs)
    nearest_only = OsCommon(**{**common.__dict__, "maxresults": 1, "offset": 0})
    return await paged(db, request, nearest_only, f"point={point}", queries.within(x, y, radius))


@router.get("/bbox", response_model=OsPlacesAnswer, summary="Addresses inside a box of up to 1 km²")
async def bbox(
    db: Db,
    request: Request,
    common: Common,
    bbox: Annotated[str, Query(description="minx,miny,maxx,maxy (lat,lng pairs with WGS84)")],
) -> Response:
    """Every address inside the box, in natural order."""
    box = p.parse_bbox(bbox, common.srs)
    return await paged(db, request, common, f"bbox={bbox}", queries.in_box(box.bounds))


@router.get(
    "/radius", response_model=OsPlacesAnswer, summary="Addresses within a radius of a point"
)
async def radius(
    db: Db,
    request: Request,
    common: Common,
    point: Annotated[str, Query(description="x,y (lat,lng with srs=WGS84)")],
    radius: Annotated[float, Query(description="Metres, up to 1000")] = 100,
) -> Response:
    """Every address within the radius, nearest first."""
    p.check_range("radius", radius, 0.01, p.MAX_RADIUS_M)
    x, y = p.parse_point(point, common.srs)
    return await paged(
        db, request, common, f"point={point}&radius={radius:g}", queries.within(x, y, radius)
    )


@router.post(
    "/polygon", response_model=OsPlacesAnswer, summary="Addresses inside a polygon of up to 1 km²"
)
async def polygon(
    db: Db,
    request: Request,
    common: Common,
    body: Annotated[dict[str, Any], Body(description="A GeoJSON Polygon or MultiPolygon")],
) -> Response:
    """Every address inside the polygon (coordinates in srs; lat,lng pairs with WGS84)."""
    shape = p.parse_polygon(body, common.srs)
    return await paged(db, request, common, "polygon", queries.in_polygon(shape))


def os_error(error: ApiError, request: Request, status: int) -> Response:
    """OS Places' error shape; a request OS would refuse is a 400, as there."""
    status = 400 if status == 422 else status
    return JsonResponse(
        {"error": {"statuscode": status, "message": error.message}}, status_code=status
    )


def install(app: FastAPI) -> None:
    """Add the OS Places endpoints, answering their errors in OS's shape."""
    app.include_router(router)
    app.state.error_renderers[PREFIX] = os_error
