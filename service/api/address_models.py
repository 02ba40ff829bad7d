"""Response shapes of the address and postcode endpoints, for the OpenAPI documentation.
Handlers build plain dicts (serialised by orjson); these models describe them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from service.api.sizes import MAX_BULK_ITEMS, MAX_POSTCODE_CHARS, MAX_TEXT_CHARS


class Location(BaseModel):
    srs: int = Field(description="27700 (BNG metres), 4326 (WGS84 degrees) or 3857 (metres)")
    x: float | None = None
    y: float | None = None
    lat: float | None = None
    lon: float | None = None


class CodeAndDescription(BaseModel):
    code: Any
    description: str | None


class Address(BaseModel):
    uprn: int
    address: str = Field(description="Single line: the postal form when there is one")
    postcode: str | None
    parent_uprn: int | None
    usrn: int | None
    classification: CodeAndDescription
    status: CodeAndDescription = Field(
        description="BLPU logical status: 1 approved, 6 provisional, 8 historic"
    )
    postal: dict[str, Any] | None = Field(
        description="Royal Mail delivery point form (null if not postal)"
    )
    gazetteer: dict[str, Any] | None = Field(description="Local authority (LPI) form")
    custodian_code: int | None
    country: str | None
    location: Location
    areas: list[dict[str, Any]] | None = Field(default=None, description="With include=areas")


class ScoredAddress(Address):
    score: float = Field(ge=0, le=1, description="How well the address answers the query")
    match: str = Field(description="What matched: house number, flat, postcode, words")


class SearchResults(BaseModel):
    results: list[ScoredAddress]
    total: int = Field(
        description="Matches found (search looks at most at a few hundred candidates)"
    )


class Suggestion(BaseModel):
    uprn: int
    address: str
    postcode: str | None
    location: Location
    score: float
    match: str = Field(
        description="What matched; names any part that matched but is not shown in `address`"
    )


class Suggestions(BaseModel):
    results: list[Suggestion]


class AddressDetail(Address):
    child_uprns: list[int] = Field(description="Addresses inside this one (flats in a building)")


class AddressPage(BaseModel):
    results: list[Address]
    total: int
    limit: int
    offset: int


class NearAddress(Address):
    distance: float = Field(description="Metres from the point")


class NearResults(BaseModel):
    results: list[NearAddress]


MatchText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
PostcodeText = Annotated[str, StringConstraints(max_length=MAX_POSTCODE_CHARS)]


class MatchRequest(BaseModel):
    addresses: list[MatchText] = Field(
        min_length=1,
        max_length=MAX_BULK_ITEMS,
        description=f"Up to {MAX_BULK_ITEMS} free-text addresses of up to {MAX_TEXT_CHARS} "
        "characters each",
    )


class MatchResult(BaseModel):
    input: str
    match: ScoredAddress | None
    candidates: int = Field(description="How many addresses scored well enough to be considered")


class MatchResults(BaseModel):
    results: list[MatchResult]


class PostcodeCentre(BaseModel):
    postcode: str
    address_count: int
    location: Location


class PostcodeAddresses(PostcodeCentre):
    total: int
    limit: int
    offset: int
    addresses: list[Address]


class PostcodeList(BaseModel):
    results: list[PostcodeCentre]


class BulkPostcodesRequest(BaseModel):
    postcodes: list[PostcodeText] = Field(
        min_length=1, max_length=MAX_BULK_ITEMS, description="Up to 100 postcodes"
    )


class BulkPostcodeResult(BaseModel):
    query: str
    result: PostcodeCentre | None
    error: str | None = None


class BulkPostcodes(BaseModel):
    results: list[BulkPostcodeResult]
