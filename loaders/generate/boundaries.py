"""Boundary polygons of the generated parishes, wards and districts, as GeoJSON in EPSG:27700.

Parishes are the Voronoi cells of their seed points clipped to the area; a ward is the union of
its parishes and a district the union of its wards, so the nesting is exact and together the
cells cover the whole area (and so every address).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import shapely
import shapely.geometry

from loaders.generate.areas import Area, AreaTree
from loaders.generate.names import display_name

CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
DECIMALS = 3


def parish_polygons(areas: AreaTree, bounds: tuple[float, float, float, float]) -> list[Any]:
    """One polygon per parish, in parish order: its Voronoi cell clipped to the area."""
    area = shapely.box(*bounds)
    seeds = shapely.multipoints([(p.x, p.y) for p in areas.parishes])
    if len(areas.parishes) == 1:
        return [area]
    cells = shapely.voronoi_polygons(seeds, extend_to=area, ordered=True)
    return list(shapely.intersection(shapely.get_parts(cells), area))


def union_by_parent(children: list[Any], child_areas: tuple[Area, ...], count: int) -> list[Any]:
    """Polygons of ``count`` parent areas, each the union of its children's polygons."""
    groups: list[list[Any]] = [[] for _ in range(count)]
    for polygon, child in zip(children, child_areas, strict=True):
        groups[child.parent].append(polygon)
    return [shapely.union_all(group) for group in groups]


def write_boundaries(
    areas: AreaTree, bounds: tuple[float, float, float, float], out_dir: Path
) -> list[Path]:
    """Write parishes.geojson, wards.geojson and districts.geojson; returns their paths."""
    folder = out_dir / "boundaries"
    folder.mkdir(parents=True, exist_ok=True)
    parishes = parish_polygons(areas, bounds)
    wards = union_by_parent(parishes, areas.parishes, len(areas.wards))
    districts = union_by_parent(wards, areas.wards, len(areas.districts))
    written = []
    for name, polygons, members in (
        ("parishes", parishes, areas.parishes),
        ("wards", wards, areas.wards),
        ("districts", districts, areas.districts),
    ):
        path = folder / f"{name}.geojson"
        path.write_bytes(orjson.dumps(feature_collection(polygons, members)))
        written.append(path)
    return written


def feature_collection(polygons: list[Any], members: tuple[Area, ...]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with a ``crs`` member naming EPSG:27700."""
    rounded = shapely.set_precision(polygons, 10**-DECIMALS)
    features = [
        {
            "type": "Feature",
            "properties": {"code": member.code, "name": display_name(member.name)},
            "geometry": shapely.geometry.mapping(polygon),
        }
        for polygon, member in zip(rounded, members, strict=True)
    ]
    return {"type": "FeatureCollection", "crs": CRS_MEMBER, "features": features}
