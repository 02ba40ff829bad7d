"""OS Places request parameters, parsed and checked as OS documents them (pure functions). A
bad value raises InvalidInput; the OS Places router turns that into OS's 400 error shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from service.errors import InvalidInput
from service.spatial.crs import BNG, WGS84, Box, check_in_great_britain, transformer
from service.spatial.inputs import box_in, point_in, srs_code

OS_SRS_NAMES = ("BNG", "EPSG:27700", "WGS84", "EPSG:4326", "EPSG:3857")
DATASETS = ("DPA", "LPI")
MAX_AREA_M2 = 1_000_000.0  # bbox and polygon queries: 1 km², as OS Places
MAX_RADIUS_M = 1000.0
# fq field -> (column, whether values are whole numbers)
FQ_FIELDS = {
    "CLASSIFICATION_CODE": ("classification_code", False),
    "LOGICAL_STATUS_CODE": ("logical_status", True),
    "LPI_LOGICAL_STATUS_CODE": ("lpi_logical_status", True),
    "COUNTRY_CODE": ("country", False),
}
_FQ_TERM = re.compile(r"^([A-Za-z_]+):([A-Za-z0-9*]+)$")


@contextmanager
def os_wording(name: str, value: object) -> Iterator[None]:
    """Say a refused value the way OS Places does: 'Requested X value of V is invalid. ...'"""
    try:
        yield
    except InvalidInput as problem:
        raise InvalidInput(
            f"Requested {name} value of {value} is invalid. {problem.message}."
        ) from None


def parse_srs(value: str | None, name: str) -> int:
    """An OS SRS name (BNG, EPSG:27700, WGS84, EPSG:4326, EPSG:3857) as an EPSG code."""
    if value is None:
        return BNG
    if value.strip().upper() not in OS_SRS_NAMES:
        raise InvalidInput(
            f"Requested {name} value of {value} is invalid. "
            f"Valid values are {', '.join(OS_SRS_NAMES)}."
        )
    return srs_code(value, name=name)


def srs_label(code: int) -> str:
    return f"EPSG:{code}"


def parse_dataset(value: str | None) -> tuple[str, ...]:
    """DPA, LPI or both (DPA by default, as OS)."""
    if value is None:
        return ("DPA",)
    wanted = tuple(dict.fromkeys(part.strip().upper() for part in value.split(",")))
    if not wanted or any(part not in DATASETS for part in wanted):
        raise InvalidInput(
            f"Requested dataset value of {value} is invalid. Valid values are DPA, LPI or DPA,LPI."
        )
    return tuple(d for d in DATASETS if d in wanted)


def check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InvalidInput(
            f"Requested {name} value of {value:g} is invalid. "
            f"It must be between {low:g} and {high:g}."
        )


@dataclass(frozen=True)
class FqFilter:
    """One fq parameter: its terms are alternatives (OR); several fq parameters all apply."""

    terms: tuple[tuple[str, str], ...]  # (column, value: a LIKE pattern or a number)


def parse_fq(values: list[str]) -> list[FqFilter]:
    """fq=CLASSIFICATION_CODE:RD* CLASSIFICATION_CODE:CO01 (any case; '*' a wildcard)."""
    filters = []
    for value in values:
        terms = []
        for term in value.split():
            match = _FQ_TERM.match(term)
            field_name = match[1].upper() if match else ""
            if not match or field_name not in FQ_FIELDS:
                raise InvalidInput(
                    f"Requested fq value of {term} is invalid. Use FIELD:VALUE with FIELD one of "
                    f"{', '.join(FQ_FIELDS)}, e.g. CLASSIFICATION_CODE:RD*"
                )
            column, numeric = FQ_FIELDS[field_name]
            if numeric and not match[2].isdigit():
                raise InvalidInput(
                    f"Requested fq value of {term} is invalid: {field_name} takes a number."
                )
            terms.append((column, match[2].upper().replace("*", "%")))
        if terms:  # an empty fq= filters nothing (it once made "AND ()", a syntax error)
            filters.append(FqFilter(tuple(terms)))
    return filters


def fq_sql(filters: list[FqFilter], first_parameter: int) -> tuple[str, list[Any]]:
    """The filters as SQL conditions (columns from code, values as parameters)."""
    conditions: list[str] = []
    values: list[Any] = []
    for fq in filters:
        alternatives = []
        for column, value in fq.terms:
            values.append(int(value) if FQ_NUMERIC_COLUMNS.get(column) else value)
            placeholder = f"${first_parameter + len(values) - 1}"
            operator = "=" if FQ_NUMERIC_COLUMNS.get(column) else "LIKE"
            alternatives.append(f"{column} {operator} {placeholder}")
        conditions.append("(" + " OR ".join(alternatives) + ")")
    return "".join(f" AND {c}" for c in conditions), values


FQ_NUMERIC_COLUMNS = {column: numeric for column, numeric in FQ_FIELDS.values()}


def parse_point(value: str, srs: int) -> tuple[float, float]:
    """'x,y' (BNG, 3857) or 'lat,lng' (WGS84, as OS Places) as BNG metres."""
    with os_wording("point", value):
        return point_in(value, srs, lat_first=srs == WGS84)


def parse_bbox(value: str, srs: int) -> Box:
    """'minx,miny,maxx,maxy' (lat,lng pairs with srs=WGS84) as a BNG box of at most 1 km²."""
    with os_wording("bbox", value):
        box = box_in(value, srs, lat_first=srs == WGS84, any_corners=True)
    area = (box.max_x - box.min_x) * (box.max_y - box.min_y)
    if area <= 0 or area > MAX_AREA_M2:
        raise InvalidInput(
            f"Requested bbox covers {area / 1e6:.3f} km²; "
            "it must cover more than nothing and at most 1 km²."
        )
    return box


def parse_polygon(body: Any, srs: int) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon (or a Feature of one), in srs (lat,lng pairs with
    WGS84, as OS Places), as a BNG geometry of at most 1 km²."""
    geometry = body.get("geometry", body) if isinstance(body, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidInput("The request body must be a GeoJSON Polygon or MultiPolygon.")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise InvalidInput(f"The request body is not a valid GeoJSON polygon: {error}") from None
    polygon = _to_bng_geometry(polygon, srs)
    if not polygon.is_valid or polygon.area <= 0:
        raise InvalidInput("The polygon is not valid (it crosses itself or has no area).")
    if polygon.area > MAX_AREA_M2:
        raise InvalidInput(
            f"The polygon covers {polygon.area / 1e6:.3f} km²; it must cover at most 1 km²."
        )
    return polygon


def _to_bng_geometry(polygon: BaseGeometry, srs: int) -> BaseGeometry:
    def project(points: Any) -> Any:
        if srs == WGS84:
            points = points[:, ::-1]  # OS Places takes WGS84 polygons as lat,lng
        if srs == BNG:
            return points
        xs, ys = transformer(srs, BNG).transform(points[:, 0], points[:, 1])
        return np.column_stack([xs, ys])

    bng = shapely.transform(polygon, project)
    minx, miny, maxx, maxy = bng.bounds
    for x, y in ((minx, miny), (maxx, maxy)):
        check_in_great_britain(x, y, BNG)
    return bng
