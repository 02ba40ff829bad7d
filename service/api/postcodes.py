"""Postcodes: every address in a postcode, postcode typeahead, and bulk lookups."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from service.addresses.present import address_json, location
from service.api import address_models as models
from service.api.addresses import Limit, Offset
from service.api.deps import Db
from service.api.params import SRS, Srs
from service.api.responses import JsonResponse
from service.errors import InvalidInput, NotFound
from service.postcodes import queries
from service.postcodes.parse import (
    POSTCODE_HINT,
    Postcode,
    compact,
    is_outward_code,
    parse_postcode,
    parse_sector,
    require_postcode,
    why_not_a_postcode,
)

router = APIRouter(prefix="/v1/postcodes", tags=["postcodes"])


def centre_json(row: Any, srs: int, *, prefix: str = "") -> dict[str, Any]:
    """A postcode's centre; ``prefix`` names its columns in a row that also holds an address."""
    point = {name: row[f"{prefix}{name}"] for name in ("x", "y", "lat", "lon")}
    return {
        "postcode": row[f"{prefix}postcode"],
        "address_count": row["address_count"],
        "location": location(point, srs),
    }


@router.get(
    "/{postcode}",
    response_model=models.PostcodeAddresses,
    summary="Every address in a postcode",
    responses={404: {"description": "A valid postcode with no addresses; suggests near ones"}},
)
async def addresses_in_postcode(
    db: Db,
    postcode: Annotated[str, Path(max_length=16, description="e.g. 'FX1 2AB', 'fx12ab'")],
    limit: Limit = 100,
    offset: Offset = 0,
    srs: Srs = SRS,
) -> Response:
    """The postcode's centre and its addresses in natural order: by street, house number
    (numerically), suffix, then flat (Flat 2 before Flat 10). Case and spacing do not matter;
    an invalid postcode is a 422 saying why; an unknown one a 404 naming similar known ones."""
    asked = require_postcode(postcode)
    async with db.connection() as conn:
        page = await queries.addresses_in_postcode(conn, asked.key, limit=limit, offset=offset)
        centre = page.rows[0] if page.rows else await queries.postcode_centre(conn, asked.key)
        similar = [] if centre else await queries.similar_postcodes(conn, asked)
    if centre is None:
        raise unknown_postcode(asked, similar)
    body = centre_json(centre, srs, prefix="centre_" if page.rows else "")
    body.update(total=page.total, limit=limit, offset=offset)
    body["addresses"] = [address_json(row, srs) for row in page.rows]
    return JsonResponse(body)


def unknown_postcode(postcode: Postcode, similar: list[str]) -> NotFound:
    """A 404 for a valid postcode with no addresses, naming similar known ones."""
    return NotFound(
        f"No addresses have the postcode {postcode.display}",
        hint=f"Similar known postcodes: {', '.join(similar)}" if similar else POSTCODE_HINT,
        details=[{"similar_postcodes": similar}],
    )


@router.get(
    "",
    response_model=models.PostcodeList,
    summary="Postcode typeahead: postcodes starting with what was typed",
)
async def postcodes_starting(
    db: Db,
    q: Annotated[
        str, Query(min_length=1, max_length=16, description="An outward code, a sector or more")
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    srs: Srs = SRS,
) -> Response:
    """Postcodes starting with the text: an outward code ('FX1'), a sector ('FX1 2') or a
    partial postcode ('FX1 2A'), in order."""
    prefix = compact(q)
    sector = parse_sector(q)
    plausible = is_outward_code(prefix) or sector or parse_postcode(prefix) or prefix[:1].isalpha()
    if not prefix.isalnum() or not plausible:
        raise InvalidInput(f"{q!r} is not the start of a UK postcode", hint="e.g. 'FX1' or 'FX1 2'")
    async with db.connection() as conn:
        rows = await queries.postcodes_starting(conn, prefix, limit=limit)
    return JsonResponse({"results": [centre_json(row, srs) for row in rows]})


@router.post(
    "",
    response_model=models.BulkPostcodes,
    summary="Look up to 100 postcodes at once",
)
async def bulk(db: Db, request: models.BulkPostcodesRequest, srs: Srs = SRS) -> Response:
    """Each postcode's centre and address count, in the order asked; an invalid postcode gets
    an error, an unknown one a null result."""
    parsed = {text: parse_postcode(text) for text in request.postcodes}
    keys = sorted({p.key for p in parsed.values() if p})
    async with db.connection() as conn:
        found = await queries.postcodes_by_key(conn, keys)
    results: list[dict[str, Any]] = []
    for text in request.postcodes:
        postcode = parsed[text]
        if postcode is None:
            results.append({"query": text, "result": None, "error": why_not_a_postcode(text)})
            continue
        row = found.get(postcode.key)
        results.append(
            {"query": text, "result": centre_json(row, srs) if row else None, "error": None}
        )
    return JsonResponse({"results": results})
