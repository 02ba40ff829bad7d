"""`address-lookup load boundaries` as an operator runs it: real and written-in-the-test files
in every format and coordinate system, refusals that name the fix, repairs, rejects and the
atomic replacement of one type."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import asyncpg
import pyogrio.raw
import pytest
import shapely

from tests.support.areas import load, write_boundaries
from tests.support.paths import shared_data

PARISHES = "boundaries/parishes_boundaryline_sample.geojson"
WARDS = "boundaries/district_wards_boundaryline_sample.geojson"
# Squares in the Vale of Aylesbury, in British National Grid metres and in degrees.
SQUARE_A = shapely.box(470_000, 210_000, 471_000, 211_000)
SQUARE_B = shapely.box(471_000, 210_000, 472_000, 211_000)
DEGREES = shapely.box(-0.99, 51.78, -0.97, 51.79)
BOW_TIE = shapely.Polygon(
    [(470_000, 210_000), (471_000, 211_000), (471_000, 210_000), (470_000, 211_000)]
)


async def rows(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def codes_of(url: str, area_type: str) -> list[str]:
    found = await rows(url, "SELECT code FROM areas WHERE type = $1 ORDER BY code", area_type)
    return [row["code"] for row in found]


def refused(done: Any) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    return str(done.stderr)


async def test_the_50_real_parishes_load_reprojected_valid_and_subdivided(
    database_url: str, tmp_path: Path
) -> None:
    done = load(database_url, shared_data(PARISHES), "parish")
    assert done.returncode == 0, done.stderr
    assert "read 50 features" in done.stdout
    assert "EPSG:4326 to EPSG:27700" in done.stdout
    assert "boundaries:parish:default is live" in done.stdout
    [summary] = await rows(
        database_url,
        "SELECT count(*) AS areas, bool_and(ST_IsValid(geom)) AS valid, "
        "min(ST_XMin(geom)) AS west, max(ST_YMax(geom)) AS north FROM areas",
    )
    assert summary["areas"] == 50
    assert summary["valid"]
    assert 200_000 < summary["west"] < 500_000  # metres, not degrees
    [parts] = await rows(
        database_url, "SELECT count(*) AS n, max(ST_NPoints(geom)) AS most FROM area_parts"
    )
    assert parts["n"] > 50
    assert parts["most"] <= 200
    [haddenham] = await rows(database_url, "SELECT name FROM areas WHERE code = 'E04001490'")
    assert haddenham["name"] == "Haddenham CP"


async def test_the_real_wards_load(database_url: str) -> None:
    done = load(database_url, shared_data(WARDS), "ward")
    assert done.returncode == 0, done.stderr
    assert len(await codes_of(database_url, "ward")) == 50


@pytest.mark.parametrize("suffix", [".shp", ".gpkg"])
async def test_shapefile_and_geopackage_load_like_the_geojson(
    database_url: str, tmp_path: Path, suffix: str
) -> None:
    meta, _, geometry, fields = pyogrio.raw.read(shared_data(PARISHES), columns=["code", "name"])
    path = tmp_path / f"parishes{suffix}"
    pyogrio.raw.write(
        path, geometry, fields, list(meta["fields"]), crs=meta["crs"], geometry_type="MultiPolygon"
    )
    done = load(database_url, path, "parish")
    assert done.returncode == 0, done.stderr
    codes = await codes_of(database_url, "parish")
    assert len(codes) == 50
    assert "E04001490" in codes


async def test_a_file_in_bng_keeps_its_coordinates(database_url: str, tmp_path: Path) -> None:
    path = write_boundaries(tmp_path / "squares.geojson", {"S1": SQUARE_A})
    done = load(database_url, path, "waste_round")
    assert done.returncode == 0, done.stderr
    assert "EPSG:27700 to EPSG:27700" in done.stdout
    [area] = await rows(database_url, "SELECT ST_XMin(geom) AS x, ST_YMax(geom) AS y FROM areas")
    assert (area["x"], area["y"]) == (470_000, 211_000)


async def test_lon_lat_declared_as_bng_is_refused_and_nothing_changes(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, write_boundaries(tmp_path / "good.geojson", {"S1": SQUARE_A}), "parish")
    wrong = write_boundaries(tmp_path / "wrong.geojson", {"S2": DEGREES}, crs="EPSG:27700")
    message = refused(load(database_url, wrong, "parish"))
    assert "declares EPSG:27700" in message
    assert "--source-crs EPSG:4326" in message
    assert await codes_of(database_url, "parish") == ["S1"]
    [refusal] = await rows(
        database_url, "SELECT message FROM data_versions WHERE status = 'failed'"
    )
    assert "--source-crs EPSG:4326" in refusal["message"]
    fixed = load(database_url, wrong, "parish", "--source-crs", "EPSG:4326")
    assert fixed.returncode == 0, fixed.stderr
    assert await codes_of(database_url, "parish") == ["S2"]


async def test_bng_declared_as_wgs84_is_refused(database_url: str, tmp_path: Path) -> None:
    wrong = write_boundaries(tmp_path / "wrong.gpkg", {"S1": SQUARE_A}, crs="EPSG:4326")
    message = refused(load(database_url, wrong, "parish"))
    assert "declares EPSG:4326" in message
    assert "--source-crs EPSG:27700" in message


async def test_a_file_without_crs_is_refused_until_one_is_given(
    database_url: str, tmp_path: Path
) -> None:
    bare = write_boundaries(tmp_path / "bare.shp", {"S1": SQUARE_A}, crs=None)
    message = refused(load(database_url, bare, "parish"))
    assert "declares no coordinate system" in message
    assert "--source-crs EPSG:27700" in message
    done = load(database_url, bare, "parish", "--source-crs", "EPSG:27700")
    assert done.returncode == 0, done.stderr
    assert await codes_of(database_url, "parish") == ["S1"]


async def test_an_invalid_bow_tie_is_repaired_and_counted(
    database_url: str, tmp_path: Path
) -> None:
    path = write_boundaries(tmp_path / "bowtie.geojson", {"BOW": BOW_TIE, "OK": SQUARE_B})
    done = load(database_url, path, "parish")
    assert done.returncode == 0, done.stderr
    assert "repaired: 1 invalid geometries" in done.stdout
    [bow] = await rows(
        database_url,
        "SELECT ST_IsValid(geom) AS valid, ST_Area(geom) AS area, ST_NumGeometries(geom) AS n "
        "FROM areas WHERE code = 'BOW'",
    )
    assert bow["valid"]
    assert bow["n"] == 2  # the two triangles of the bow tie
    assert bow["area"] == pytest.approx(500_000)


async def test_unusable_features_go_to_the_rejects_file_with_their_position(
    database_url: str, tmp_path: Path
) -> None:
    areas = {
        "A": SQUARE_A,
        "": SQUARE_B,
        "L": shapely.LineString([(470_000, 210_000), (471_000, 211_000)]),
    }
    path = write_boundaries(tmp_path / "mixed.gpkg", areas)
    done = load(database_url, path, "parish", "--max-reject-rate", "1")
    assert done.returncode == 0, done.stderr
    assert "rejects: 2 rows" in done.stdout
    [rejects] = (tmp_path / "rejects").glob("boundaries-parish-default-v*.csv")
    with rejects.open() as handle:
        rejected = {(row["line"], row["reason"]) for row in csv.DictReader(handle)}
    assert rejected == {
        ("2", "the 'code' field is empty"),
        ("3", "not a polygon: the feature has a LineString"),
    }
    assert await codes_of(database_url, "parish") == ["A"]


async def test_a_missing_field_is_refused_listing_the_fields(
    database_url: str, tmp_path: Path
) -> None:
    path = write_boundaries(tmp_path / "squares.geojson", {"S1": SQUARE_A})
    message = refused(load(database_url, path, "parish", "--code-field", "GSS"))
    assert "no field 'GSS'; its fields are: code, name" in message
    assert "--code-field" in message


async def test_a_new_load_replaces_its_type_only(database_url: str, tmp_path: Path) -> None:
    load(
        database_url,
        write_boundaries(tmp_path / "p1.geojson", {"A": SQUARE_A, "B": SQUARE_B}),
        "parish",
    )
    load(database_url, write_boundaries(tmp_path / "w.geojson", {"W": SQUARE_A | SQUARE_B}), "ward")
    path = write_boundaries(tmp_path / "p2.geojson", {"C": SQUARE_B})
    done = load(database_url, path, "parish", "--force")  # 2 parishes to 1: past --max-shrink
    assert done.returncode == 0, done.stderr
    assert await codes_of(database_url, "parish") == ["C"]
    assert await codes_of(database_url, "ward") == ["W"]
    [parts] = await rows(database_url, "SELECT count(DISTINCT area_id) AS n FROM area_parts")
    assert parts["n"] == 2  # no parts of the old parishes are left
    versions = await rows(database_url, "SELECT dataset, status FROM data_versions ORDER BY id")
    assert [(v["dataset"], v["status"]) for v in versions] == [
        ("boundaries:parish:default", "replaced"),
        ("boundaries:ward:default", "live"),
        ("boundaries:parish:default", "live"),
    ]


async def test_parents_are_derived_whichever_type_loads_first(
    database_url: str, tmp_path: Path
) -> None:
    parishes = write_boundaries(tmp_path / "p.geojson", {"A": SQUARE_A, "B": SQUARE_B})
    assert (
        "parents: none yet (no ward or district or county"
        in load(database_url, parishes, "parish").stdout
    )
    wards = write_boundaries(tmp_path / "w.geojson", {"W1": SQUARE_A, "W2": SQUARE_B})
    load(database_url, wards, "ward")
    district = write_boundaries(tmp_path / "d.geojson", {"D": SQUARE_A | SQUARE_B})
    rounds = write_boundaries(tmp_path / "r.geojson", {"R": SQUARE_A})
    load(database_url, district, "district")
    done = load(database_url, rounds, "waste_round", "--parent-type", "district")
    assert "parents: 1 of 1 waste_round areas lie in a district" in done.stdout
    found = await rows(
        database_url, "SELECT code, parent_type, parent_code FROM areas ORDER BY code"
    )
    assert {(r["code"], r["parent_type"], r["parent_code"]) for r in found} == {
        ("A", "ward", "W1"),
        ("B", "ward", "W2"),
        ("W1", "district", "D"),
        ("W2", "district", "D"),
        ("D", None, None),
        ("R", "district", "D"),
    }


def test_an_unreadable_file_or_missing_layer_is_refused(database_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.geojson"
    junk.write_text("this is not GeoJSON")
    assert "cannot read" in refused(load(database_url, junk, "parish"))
    gpkg = write_boundaries(tmp_path / "squares.gpkg", {"S1": SQUARE_A})
    message = refused(load(database_url, gpkg, "parish", "--layer", "wards"))
    assert "has no layer 'wards'; its layers are: squares" in message


async def test_a_bad_type_name_is_refused(database_url: str, tmp_path: Path) -> None:
    path = write_boundaries(tmp_path / "squares.geojson", {"S1": SQUARE_A})
    message = refused(load(database_url, path, "Waste Round"))
    assert "--type 'Waste Round' is not a type name" in message
