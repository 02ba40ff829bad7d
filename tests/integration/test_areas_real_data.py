"""Real data: the 50 real Boundary-Line parishes loaded as an operator loads them, and every
Code-Point Open postcode in or near them answered as shapely (run independently here, on the
GeoJSON reprojected with pyproj) says it should be."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import shapely
from pyproj import Transformer

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.cli import run_cli
from tests.support.paths import shared_data
from tests.support.server import KEYS_OPTIONAL, live_server

PARISHES = "boundaries/parishes_boundaryline_sample.geojson"
POSTCODE_AREAS = ("hp", "mk", "ox")


def parishes_in_bng() -> tuple[list[str], list[Any]]:
    """Codes and polygons of the real parishes, read with json and reprojected with pyproj."""
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    features = json.loads(shared_data(PARISHES).read_text())["features"]
    codes = [feature["properties"]["code"] for feature in features]
    shapes = [shapely.geometry.shape(feature["geometry"]) for feature in features]
    return codes, [shapely.transform(s, to_bng.transform, interleaved=False) for s in shapes]


def codepoint_postcodes() -> Iterator[tuple[str, float, float]]:
    """(postcode, easting, northing) of every Code-Point Open postcode in HP, MK and OX."""
    for area in POSTCODE_AREAS:
        path = shared_data(f"postcodes/codepoint_open_2014/{area}.csv")
        with path.open(newline="") as handle:
            for row in csv.reader(handle):
                yield row[0], float(row[2]), float(row[3])


def expected_parishes() -> dict[tuple[float, float], list[str]]:
    """For every postcode whose position lies within a parish's bounding box: the parish that
    covers it (the lowest code when it is on a shared boundary), or none."""
    codes, polygons = parishes_in_bng()
    tree = shapely.STRtree(polygons)
    expected = {}
    for _, x, y in codepoint_postcodes():
        point = shapely.Point(x, y)
        if len(tree.query(point)) == 0:
            continue
        covering = sorted(codes[i] for i in tree.query(point, predicate="covered_by"))
        expected[(x, y)] = covering[:1]
    return expected


def answered_parishes(base_url: str, points: list[tuple[float, float]]) -> list[list[str]]:
    """The service's parish for each point, asked 100 at a time."""
    answers = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for start in range(0, len(points), 100):
            batch = [{"x": x, "y": y} for x, y in points[start : start + 100]]
            response = client.post("/v1/areas", json={"points": batch, "types": ["parish"]})
            assert response.status_code == 200, response.text
            results = response.json()["results"]
            answers += [[area["code"] for area in result["areas"]] for result in results]
    return answers


def test_every_codepoint_postcode_gets_the_parish_shapely_says_contains_it(
    database_url: str, tmp_path: Path
) -> None:
    done = run_cli(
        "load",
        "boundaries",
        str(shared_data(PARISHES)),
        "--type",
        "parish",
        "--rejects-dir",
        str(tmp_path),
        env={"DATABASE_URL": database_url},
    )
    assert done.returncode == 0, done.stderr
    expected = expected_parishes()
    inside = sum(1 for parish in expected.values() if parish)
    assert inside > 2_500  # the test means something: thousands of positions in the parishes
    assert len(expected) - inside > 500  # and hundreds close by but outside them all
    app = create_app(
        Settings(db=DatabaseSettings(DATABASE_URL=database_url), tenancy=KEYS_OPTIONAL)
    )
    points = list(expected)
    with live_server(app) as base_url:
        answers = answered_parishes(base_url, points)
    wrong = [
        (p, expected[p], got) for p, got in zip(points, answers, strict=True) if got != expected[p]
    ]
    assert wrong == []
