"""The OS Places compatible answer, for the OpenAPI document: OS's header, then one record a
result, each under its dataset's name (DPA or LPI) with OS's field names. The records' fields
are OS's own (documented by Ordnance Survey); their values are strings, numbers or null."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OsPlacesHeader(BaseModel):
    uri: str = Field(
        description="The request, under ADDRESS_LOOKUP_PUBLIC_URL when set (a path otherwise)"
    )
    query: str
    offset: int
    totalresults: int
    format: str
    dataset: str
    lr: str
    maxresults: int
    matchprecision: int
    epoch: str = Field(description="The data version of the addresses")
    lastupdate: str
    output_srs: str


class OsPlacesRecord(BaseModel):
    model_config = ConfigDict(extra="allow")

    UPRN: str
    ADDRESS: str | None
    MATCH: float
    MATCH_DESCRIPTION: str


class OsPlacesResult(BaseModel):
    DPA: OsPlacesRecord | None = Field(default=None, description="The postal form")
    LPI: OsPlacesRecord | None = Field(default=None, description="The gazetteer form")


class OsPlacesAnswer(BaseModel):
    header: OsPlacesHeader
    results: list[OsPlacesResult] | None = Field(
        default=None, description="Left out when nothing matched, as OS Places does"
    )
