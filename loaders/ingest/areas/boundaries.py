"""Loading boundaries: GeoJSON, Shapefile or GeoPackage in any coordinate system, read with
pyogrio, checked against Great Britain before anything is written, reprojected to British
National Grid, repaired where invalid, then swapped in for their type in one transaction.

Reading and checking is pure and in memory (boundary files are megabytes, not gigabytes);
loaders.ingest.areas.store writes the result."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from loaders.core.report import LoadReport
from loaders.errors import CliError
from service.spatial.crs import (
    BNG,
    GB_BNG,
    Bounds,
    looks_like_gb_bng,
    looks_like_gb_lon_lat,
    looks_like_lon_lat,
)
from service.spatial.lookup import TYPE_PATTERN

RECORD_TYPE = "feature"
DEFAULT_SET = "default"
SET_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_POLYGONAL_TYPE_IDS = [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON]


@dataclass(frozen=True)
class BoundarySource:
    """A boundary file as the operator described it."""

    path: Path
    area_type: str
    code_field: str = "code"
    name_field: str = "name"
    source_crs: str | None = None  # overrides the file's own CRS
    layer: str | None = None
    set_name: str = DEFAULT_SET  # the data set (a council's) whose areas of the type it replaces


@dataclass
class PreparedAreas:
    """Areas ready to insert, in British National Grid, keyed by code."""

    names: dict[str, str] = field(default_factory=dict)
    geoms: dict[str, Any] = field(default_factory=dict)  # code -> shapely MultiPolygon
    repaired: int = 0
    crs_name: str = ""

    def __len__(self) -> int:
        return len(self.names)

    def rows(self) -> tuple[list[str], list[str], list[bytes]]:
        """Parallel lists of codes, names and WKB, for one array-valued INSERT."""
        codes = list(self.names)
        wkbs = [bytes(shapely.to_wkb(self.geoms[code])) for code in codes]
        return codes, [self.names[code] for code in codes], wkbs


@dataclass
class _Features:
    codes: list[Any]
    names: list[Any]
    geoms: Any  # numpy array of shapely geometries (None where a feature has none)
    crs: str | None


def check_set_name(set_name: str) -> None:
    """Refuse a data set name that could not be told apart in a dataset name or a report."""
    if not SET_PATTERN.match(set_name):
        raise CliError(
            f"--set {set_name!r} is not a set name: use up to 40 lower-case letters, digits, "
            "'-' and '_', starting with a letter (e.g. trafford, mid-suffolk)"
        )


def check_area_type(area_type: str) -> None:
    """Refuse a type name the API could not be asked for."""
    if not TYPE_PATTERN.match(area_type):
        raise CliError(
            f"--type {area_type!r} is not a type name: use lower-case letters, digits and "
            "underscores, starting with a letter (e.g. parish, ward, waste_round)"
        )


def read_features(source: BoundarySource) -> _Features:
    """Every feature's code, name and geometry, and the file's CRS, exactly as stored."""
    fields = _field_names(source)
    for option, wanted in (
        ("--code-field", source.code_field),
        ("--name-field", source.name_field),
    ):
        if wanted not in fields:
            raise CliError(
                f"{source.path.name} has no field {wanted!r}; its fields are: "
                f"{', '.join(fields) or 'none'}. Name the right one with {option}"
            )
    meta, _, wkb, columns = pyogrio.raw.read(
        source.path,
        layer=source.layer,
        columns=[source.code_field, source.name_field],
        force_2d=True,
    )
    by_name = dict(zip(list(meta["fields"]), columns, strict=True))
    geoms = shapely.from_wkb(wkb) if wkb is not None else np.full(len(columns[0]), None)
    return _Features(
        list(by_name[source.code_field]), list(by_name[source.name_field]), geoms, meta["crs"]
    )


def _field_names(source: BoundarySource) -> list[str]:
    try:
        info = pyogrio.read_info(source.path, layer=source.layer)
    except DataLayerError:
        layers = ", ".join(str(name) for name, _ in pyogrio.list_layers(source.path))
        raise CliError(
            f"{source.path.name} has no layer {source.layer!r}; its layers are: {layers}"
        ) from None
    except DataSourceError as error:
        first_line = str(error).split(";")[0]
        raise CliError(
            f"cannot read {source.path} as GeoJSON, Shapefile or GeoPackage: {first_line}"
        ) from None
    return [str(name) for name in info["fields"]]


def source_crs(file_crs: str | None, declared: str | None) -> CRS | None:
    """The CRS to read the coordinates in: the operator's --source-crs, else the file's own."""
    text = declared or file_crs
    if text is None:
        return None
    try:
        return CRS.from_user_input(text)
    except CRSError:
        raise CliError(
            f"--source-crs {text!r} is not a coordinate system; give an EPSG code such as "
            "EPSG:27700 (British National Grid) or EPSG:4326 (longitude/latitude)"
        ) from None


def crs_problem(bounds: Bounds, crs: CRS | None) -> str | None:
    """Why coordinates with these bounds cannot be read in this CRS as Great Britain, with the
    fix; None when they can."""
    if crs is None:
        return "the file declares no coordinate system: " + _guess(bounds)
    name = crs.to_string()
    if crs.is_geographic and not looks_like_lon_lat(bounds):
        return f"the file declares {name} (longitude/latitude) but " + _guess(bounds)
    if not crs.is_geographic and looks_like_lon_lat(bounds):
        return f"the file declares {name} (metres) but " + _guess(bounds)
    in_bng = _to_bng_transformer(crs).transform_bounds(*bounds)
    if not all(math.isfinite(value) for value in in_bng) or not GB_BNG.contains_bounds(in_bng):
        return (
            f"its coordinates, read as {name}, fall outside Great Britain; if that is the wrong "
            "coordinate system, give the right one with --source-crs EPSG:NNNN"
        )
    return None


def _guess(bounds: Bounds) -> str:
    shown = ", ".join(f"{value:.6g}" for value in bounds)
    if looks_like_gb_lon_lat(bounds):
        return f"its coordinates ({shown}) look like longitude/latitude: use --source-crs EPSG:4326"
    if looks_like_gb_bng(bounds):
        return (
            f"its coordinates ({shown}) look like British National Grid metres: "
            "use --source-crs EPSG:27700"
        )
    return f"its coordinates ({shown}) are not recognisable: give the right --source-crs EPSG:NNNN"


def _to_bng_transformer(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, BNG, always_xy=True)


def prepare(source: BoundarySource, report: LoadReport) -> PreparedAreas:
    """Read, check and clean a boundary file; every refused feature goes to the rejects file.
    Raises CliError, before anything is written, when the file cannot be read as Great Britain."""
    features = read_features(source)
    report.counts[RECORD_TYPE].read += len(features.codes)
    cleaner = _FeatureCleaner(source, features, report)
    keep = cleaner.polygonal()
    crs = source_crs(features.crs, source.source_crs)
    if keep.any():
        problem = crs_problem(_bounds(features.geoms[keep]), crs)
        if problem:
            raise CliError(f"{source.path.name}: {problem}. Nothing was loaded")
    assert crs is not None or not keep.any()
    geoms = _reproject(features.geoms, crs) if crs is not None else features.geoms
    for index in np.flatnonzero(keep):
        cleaner.add(int(index), geoms[index])
    cleaner.prepared.crs_name = crs.to_string() if crs else ""
    return cleaner.prepared


def _bounds(geoms: Any) -> Bounds:
    min_x, min_y, max_x, max_y = shapely.total_bounds(geoms)
    return float(min_x), float(min_y), float(max_x), float(max_y)


def _reproject(geoms: Any, crs: CRS) -> Any:
    if crs.to_epsg() == BNG:
        return geoms
    transformer = _to_bng_transformer(crs)
    return shapely.transform(geoms, transformer.transform, interleaved=False)


class _FeatureCleaner:
    """Turns features into areas one by one, rejecting (with the reason) what cannot be used."""

    def __init__(self, source: BoundarySource, features: _Features, report: LoadReport) -> None:
        self.source = source
        self.features = features
        self.report = report
        self.prepared = PreparedAreas()

    def polygonal(self) -> Any:
        """A mask of the features with polygon geometry; the others are rejected."""
        geoms = self.features.geoms
        keep = np.isin(shapely.get_type_id(geoms), _POLYGONAL_TYPE_IDS) & ~shapely.is_empty(geoms)
        for index in np.flatnonzero(~keep):
            geom = geoms[index]
            kind = "no geometry" if geom is None or geom.is_empty else f"a {geom.geom_type}"
            self.reject(int(index), f"not a polygon: the feature has {kind}")
        return keep

    def add(self, index: int, geom: Any) -> None:
        """Add one polygonal feature (in British National Grid), repairing it if invalid."""
        code, name = _text(self.features.codes[index]), _text(self.features.names[index])
        if not code or not name:
            missing = self.source.code_field if not code else self.source.name_field
            self.reject(index, f"the {missing!r} field is empty")
            return
        if not shapely.is_valid(geom):
            geom = polygons_only(shapely.make_valid(geom))
            self.prepared.repaired += 1
        if geom.is_empty:
            self.reject(index, "nothing of the polygon is left after repair")
            return
        self._merge_or_add(index, code, name, geom)

    def _merge_or_add(self, index: int, code: str, name: str, geom: Any) -> None:
        """Features sharing a code and name are pieces of one area; a code reused by another
        name is refused, since which one won would otherwise depend on the file's order."""
        prepared = self.prepared
        if code not in prepared.names:
            prepared.names[code] = name
            prepared.geoms[code] = polygons_only(geom)
        elif prepared.names[code] == name:
            prepared.geoms[code] = polygons_only(shapely.union(prepared.geoms[code], geom))
        else:
            self.reject(index, f"code {code!r} is already used by {prepared.names[code]!r}")
            return
        self.report.counts[RECORD_TYPE].loaded += 1

    def reject(self, index: int, reason: str) -> None:
        """Record a refused feature; its line is its position in the file, from 1."""
        content = {
            self.source.code_field: _text(self.features.codes[index]),
            self.source.name_field: _text(self.features.names[index]),
        }
        self.report.reject(
            file=self.source.path.name,
            line=index + 1,
            record_type=RECORD_TYPE,
            reason=reason,
            content=json.dumps(content),
        )


def polygons_only(geom: Any) -> Any:
    """The polygonal part of a geometry (make_valid may add stray lines and points) as a
    MultiPolygon, empty when there is none."""
    return shapely.MultiPolygon(_polygons(geom))


def _polygons(geom: Any) -> list[Any]:
    parts = shapely.get_parts(geom)
    flat: list[Any] = []
    for part in parts:
        if part.geom_type == "Polygon":
            flat.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            flat.extend(_polygons(part))
    return [polygon for polygon in flat if not polygon.is_empty]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()
