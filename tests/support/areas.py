"""Boundary files written in a test, and loading them as an operator would."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely

from tests.support.cli import run_cli


def write_boundaries(path: Path, areas: dict[str, Any], crs: str | None = "EPSG:27700") -> Path:
    """A boundary file (format from the suffix) of code -> polygon, each named 'Area <code>'."""
    codes = list(areas)
    geoms = np.array([shapely.to_wkb(areas[code]) for code in codes], dtype=object)
    names = np.array([f"Area {code}" for code in codes], dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns when writing a file without a CRS
        pyogrio.raw.write(
            path,
            geoms,
            [np.array(codes, dtype=object), names],
            ["code", "name"],
            crs=crs,
            geometry_type=_layer_type(areas.values()),
        )
    return path


def _layer_type(geoms: Any) -> str:
    kinds = {geom.geom_type for geom in geoms}
    return kinds.pop() if len(kinds) == 1 else "Unknown"


def load(url: str, path: Path, area_type: str, *extra: str) -> Any:
    return run_cli(
        "load",
        "boundaries",
        str(path),
        "--type",
        area_type,
        "--rejects-dir",
        str(path.parent / "rejects"),
        *extra,
        env={"DATABASE_URL": url},
    )
