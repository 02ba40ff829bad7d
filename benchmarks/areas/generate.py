"""Synthetic boundaries for the benchmark: Voronoi cells over a block of southern England, one
independent tessellation per type (so types tile the land like real ones but do not nest
exactly), edges densified to a real parish's vertex spacing."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

# 300 km x 300 km from Bristol to Essex, in British National Grid metres.
REGION = shapely.box(350_000, 100_000, 650_000, 400_000)
# Boundary-Line parishes have a vertex every 20 to 50 metres along their edges.
VERTEX_SPACING_M = 30.0


@dataclass(frozen=True)
class AreaType:
    name: str
    count: int
    code_prefix: str


TYPES = (
    AreaType("parish", 10_000, "E04"),
    AreaType("ward", 2_500, "E05"),
    AreaType("district", 100, "E07"),
    AreaType("county", 10, "E10"),
)


def voronoi_cells(count: int, seed: int) -> list[shapely.Polygon]:
    """``count`` cells tiling REGION, from uniformly random seeds."""
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = REGION.bounds
    seeds = shapely.multipoints(
        np.column_stack([rng.uniform(min_x, max_x, count), rng.uniform(min_y, max_y, count)])
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=REGION))
    clipped = shapely.intersection(cells, REGION)
    return list(shapely.segmentize(clipped, VERTEX_SPACING_M))


def write_type(folder: Path, area_type: AreaType, seed: int) -> Path:
    """A GeoPackage (British National Grid) of one type's cells, with code and name fields."""
    cells = voronoi_cells(area_type.count, seed)
    codes = [f"{area_type.code_prefix}{index:06d}" for index in range(len(cells))]
    names = [f"Synthetic {area_type.name} {index}" for index in range(len(cells))]
    path = folder / f"{area_type.name}.gpkg"
    path.unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.raw.write(
            path,
            np.array(shapely.to_wkb(cells), dtype=object),
            [np.array(codes, dtype=object), np.array(names, dtype=object)],
            ["code", "name"],
            crs="EPSG:27700",
            geometry_type="Polygon",
        )
    return path


def random_points(count: int, seed: int) -> list[tuple[float, float]]:
    """Uniformly random (x, y) points in REGION: every one lies in one area of each type."""
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = REGION.bounds
    xs, ys = rng.uniform(min_x, max_x, count), rng.uniform(min_y, max_y, count)
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
