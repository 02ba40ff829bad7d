"""The OS Places queries: one statement (sql/results.sql) picks the addresses by postcode, box,
radius, polygon or UPRN, applies the fq filters and pages through DPA and LPI records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from service.db.types import Connection
from service.osplaces.params import FqFilter, fq_sql
from service.sqlfiles import fragment, sql

_POINT = "ST_SetSRID(ST_MakePoint($4, $5), 27700)"


@dataclass(frozen=True)
class Selection:
    """Which addresses a request is about: a condition (parameters from $4) and an order."""

    where: str
    values: tuple[Any, ...]
    order: str | None = None  # None: the natural order of addresses


def in_postcode(prefix: str) -> Selection:
    """A full postcode, or its sector or outward code (compact, upper case)."""
    return Selection("a.postcode_key LIKE $4 || '%'", (prefix,))


def with_uprns(uprns: list[int]) -> Selection:
    return Selection("a.uprn = ANY($4::bigint[])", (uprns,), order="a.uprn")


def in_box(box: tuple[float, float, float, float]) -> Selection:
    return Selection("a.geom && ST_MakeEnvelope($4, $5, $6, $7, 27700)", box)


def within(x: float, y: float, radius: float) -> Selection:
    """Within radius metres of a BNG point, nearest first."""
    return Selection(
        f"ST_DWithin(a.geom, {_POINT}, $6)", (x, y, radius), order=f"a.geom <-> {_POINT}, a.uprn"
    )


def in_polygon(polygon: BaseGeometry) -> Selection:
    return Selection("ST_Intersects(a.geom, ST_GeomFromText($4, 27700))", (polygon.wkt,))


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int


async def records(
    conn: Connection,
    selection: Selection,
    *,
    datasets: tuple[str, ...],
    fq: list[FqFilter],
    limit: int,
    offset: int,
) -> Page:
    """One page of (address, dataset) rows and how many there are in all."""
    first = 4 + len(selection.values)
    conditions, fq_values = fq_sql(fq, first)
    statement = sql(__package__, "results").format(
        where=selection.where, fq=conditions, order=_order(selection)
    )
    rows = await conn.fetch(statement, list(datasets), limit, offset, *selection.values, *fq_values)
    total = (
        rows[0]["total"] if rows else await _count(conn, statement, datasets, selection, fq_values)
    )
    return Page(list(rows), total)


def _order(selection: Selection) -> str:
    """The selection's order, else the service's one natural order of addresses."""
    return selection.order or fragment("service.addresses", "natural_order")


async def _count(
    conn: Connection,
    statement: str,
    datasets: tuple[str, ...],
    selection: Selection,
    fq_values: list[Any],
) -> int:
    """The total when the page is past the end (and so holds no row to carry it)."""
    rows = await conn.fetch(statement, list(datasets), 1, 0, *selection.values, *fq_values)
    return int(rows[0]["total"]) if rows else 0


async def epoch(conn: Connection) -> tuple[str, str]:
    """The data version being served and the day it was loaded, as OS Places' header says."""
    row = await conn.fetchrow(sql(__package__, "epoch"))
    if row is None:
        return "0", ""
    finished = row["finished_at"]
    return str(row["id"]), finished.date().isoformat() if finished else ""
