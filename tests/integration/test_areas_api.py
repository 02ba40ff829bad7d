"""The areas API over real HTTP, on areas loaded by the real loader: points, addresses and
postcodes to areas, boundary points, one area with its geometry, bulk lookups, bad input."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import shapely
from pyproj import Transformer

from loaders.core.report import LoadReport
from loaders.ingest.areas.boundaries import BoundarySource, prepare
from loaders.ingest.areas.store import replace_areas
from service.api.areas import AreaWithGeometryOut, BulkResultsOut, PointAreasOut, PostcodeAreasOut
from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.areas import write_boundaries
from tests.support.server import KEYS_OPTIONAL, live_server

TO_LON_LAT = Transformer.from_crs(27700, 4326, always_xy=True)
# Two parishes side by side in one ward, in one district; a waste round over part of the first.
P1 = shapely.box(470_000, 210_000, 471_000, 211_000)
P2 = shapely.box(471_000, 210_000, 472_000, 211_000)
AREAS = {
    "parish": {"E04000001": P1, "E04000002": P2},
    "ward": {"E05000001": P1 | P2},
    "district": {"E07000001": shapely.box(460_000, 200_000, 480_000, 220_000)},
    "waste_round": {"R1": shapely.box(470_000, 210_000, 470_500, 210_500)},
}
IN_P1 = (470_250.0, 210_250.0)
IN_P2 = (471_500.0, 210_500.0)
ON_SHARED_EDGE = (471_000.0, 210_500.0)
NOWHERE = (300_000.0, 300_000.0)  # in Great Britain, but in no loaded area


async def load_areas(url: str, folder: Path, area_type: str, areas: dict[str, Any]) -> None:
    """Load areas through the real loader (in this process, to keep the tests quick)."""
    path = write_boundaries(folder / f"{area_type}.geojson", areas)
    with LoadReport(folder / f"{area_type}-rejects.csv") as report:
        prepared = prepare(BoundarySource(path, area_type), report)
    conn = await asyncpg.connect(url)
    try:
        await replace_areas(
            conn, BoundarySource(path, area_type), prepared, version_id=1, declared_parent=None
        )
    finally:
        await conn.close()


async def execute(url: str, sql: str, *args: Any) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def add_address(url: str, uprn: int, x: float, y: float, postcode: str = "HP19 9BJ") -> None:
    """An address row with defaults for everything the areas API does not read."""
    lon, lat = TO_LON_LAT.transform(x, y)
    await execute(
        url,
        "INSERT INTO addresses (uprn, source, x, y, lat, lon, geom, address, postcode, "
        "postcode_key) VALUES ($1, 'csv', $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($2, $3), "
        "27700), $6, $7, replace($7, ' ', ''))",
        uprn,
        x,
        y,
        lat,
        lon,
        f"{uprn} High Street, Haddenham, {postcode}",
        postcode,
    )


async def add_contact(url: str, area_code: str, name: str, email: str, line: int = 2) -> None:
    await execute(
        url,
        "INSERT INTO area_contacts (area_code, name, role, email, line) "
        "VALUES ($1, $2, 'Clerk', $3, $4)",
        area_code,
        name,
        email,
        line,
    )


@pytest.fixture
async def loaded(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    for area_type, areas in AREAS.items():
        await load_areas(database_url, tmp_path, area_type, areas)
    await add_contact(database_url, "E04000001", "Jane Smith", "clerk@one.example.org")
    yield database_url


@pytest.fixture
def base_url(loaded: str) -> Iterator[str]:
    with live_server(
        create_app(Settings(db=DatabaseSettings(DATABASE_URL=loaded), tenancy=KEYS_OPTIONAL))
    ) as url:
        yield url


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url) as client:
        yield client


@pytest.fixture
async def async_api(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url) as client:
        yield client


def codes(answer: dict[str, Any]) -> list[str]:
    return [area["code"] for area in answer["areas"]]


def error_of(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    return f"{error['message']} | {error.get('hint')}"


def test_a_lat_lon_point_gets_every_area_smallest_first_with_parent_and_contacts(
    api: httpx.Client,
) -> None:
    lon, lat = TO_LON_LAT.transform(*IN_P1)
    answer = api.get("/v1/areas", params={"lat": lat, "lon": lon}).json()
    PointAreasOut.model_validate(answer)
    assert codes(answer) == ["E04000001", "E05000001", "E07000001", "R1"]
    parish = answer["areas"][0]
    assert parish["name"] == "Area E04000001"
    assert parish["parent"] == {"code": "E05000001", "name": "Area E05000001", "type": "ward"}
    assert parish["contacts"] == [
        {
            "name": "Jane Smith",
            "role": "Clerk",
            "email": "clerk@one.example.org",
            "phone": None,
            "url": None,
        }
    ]
    assert answer["query"]["x"] == pytest.approx(IN_P1[0], abs=0.01)


def test_types_narrow_the_answer(api: httpx.Client) -> None:
    x, y = IN_P2
    answer = api.get("/v1/areas", params={"x": x, "y": y, "types": "ward, parish"}).json()
    assert codes(answer) == ["E04000002", "E05000001"]


def test_a_point_on_a_shared_boundary_gets_one_answer_every_time(api: httpx.Client) -> None:
    x, y = ON_SHARED_EDGE
    answers = [
        codes(api.get("/v1/areas", params={"x": x, "y": y, "types": "parish"}).json())
        for _ in range(5)
    ]
    assert answers == [["E04000001"]] * 5  # the lower code of the two parishes
    corner = api.get("/v1/areas", params={"x": 471_000, "y": 211_000}).json()
    assert codes(corner)[:2] == ["E04000001", "E05000001"]


def test_a_point_in_no_loaded_area_is_an_empty_list(api: httpx.Client) -> None:
    x, y = NOWHERE
    response = api.get("/v1/areas", params={"x": x, "y": y})
    assert response.status_code == 200
    assert response.json()["areas"] == []


async def test_an_address_gets_the_areas_of_its_position(
    async_api: httpx.AsyncClient, loaded: str
) -> None:
    await add_address(loaded, 100_000_001, *IN_P2)
    answer = (await async_api.get("/v1/areas", params={"uprn": 100_000_001})).json()
    assert answer["query"]["uprn"] == 100_000_001
    assert codes(answer) == ["E04000002", "E05000001", "E07000001"]
    missing = await async_api.get("/v1/areas", params={"uprn": 999})
    assert missing.status_code == 404
    assert "No address has UPRN 999" in missing.json()["error"]["message"]


async def test_a_postcode_across_two_parishes_is_split_with_address_counts(
    async_api: httpx.AsyncClient, loaded: str
) -> None:
    await add_address(loaded, 1, *IN_P1)
    await add_address(loaded, 2, IN_P1[0] + 10, IN_P1[1])
    await add_address(loaded, 3, *IN_P2)
    await add_address(loaded, 4, *IN_P2, postcode="HP19 9BL")
    answer = (await async_api.get("/v1/areas", params={"postcode": "hp199bj"})).json()
    PostcodeAreasOut.model_validate(answer)
    assert answer["postcode"] == "HP19 9BJ"
    assert answer["address_count"] == 3
    assert answer["split"] is True
    assert answer["split_types"] == ["parish", "waste_round"]
    counts = {area["code"]: area["address_count"] for area in answer["areas"]}
    assert counts == {"E04000001": 2, "E04000002": 1, "E05000001": 3, "E07000001": 3, "R1": 2}
    whole = (
        await async_api.get("/v1/areas", params={"postcode": "HP19 9BL", "types": "parish"})
    ).json()
    assert whole["split"] is False
    assert codes(whole) == ["E04000002"]


def test_unknown_and_malformed_postcodes(api: httpx.Client) -> None:
    unknown = api.get("/v1/areas", params={"postcode": "SW1A 1AA"})
    assert unknown.status_code == 404
    assert (
        "No addresses or postcode point have the postcode SW1A 1AA"
        in unknown.json()["error"]["message"]
    )
    assert "not a valid UK postcode" in error_of(api.get("/v1/areas", params={"postcode": "HP1"}))


def test_one_area_by_code_with_its_geometry_in_each_srs(api: httpx.Client) -> None:
    plain = api.get("/v1/areas/E04000001").json()
    assert plain["geometry"] is None
    assert plain["parent"]["code"] == "E05000001"
    in_bng = api.get("/v1/areas/E04000001", params={"geometry": "true", "srs": 27700}).json()
    AreaWithGeometryOut.model_validate(in_bng)
    assert in_bng["srs"] == 27700
    assert shapely.geometry.shape(in_bng["geometry"]).equals(P1)
    in_degrees = api.get("/v1/areas/E04000001", params={"geometry": "true"}).json()
    assert in_degrees["srs"] == 4326
    assert in_degrees["geometry"]["type"] == "MultiPolygon"
    expected = shapely.transform(P1, TO_LON_LAT.transform, interleaved=False)
    got = shapely.geometry.shape(in_degrees["geometry"])
    assert shapely.hausdorff_distance(got, expected) < 1e-6  # 7 decimal places: centimetres


async def test_simplify_thins_a_detailed_boundary(
    async_api: httpx.AsyncClient, loaded: str, tmp_path: Path
) -> None:
    circle = shapely.Point(450_000, 250_000).buffer(2_000, quad_segs=256)
    await load_areas(loaded, tmp_path, "beat", {"B1": circle})
    params = {"geometry": "true", "srs": 27700}
    full = (await async_api.get("/v1/areas/B1", params=params)).json()["geometry"]
    thin = (await async_api.get("/v1/areas/B1", params={**params, "simplify": 50})).json()[
        "geometry"
    ]
    assert len(thin["coordinates"][0][0]) < len(full["coordinates"][0][0]) / 4


async def test_a_code_shared_by_two_types_needs_the_type(
    async_api: httpx.AsyncClient, loaded: str, tmp_path: Path
) -> None:
    await load_areas(loaded, tmp_path, "beat", {"E04000001": P1})
    assert "Add type= with one of: beat, parish" in error_of(
        await async_api.get("/v1/areas/E04000001")
    )
    chosen = (await async_api.get("/v1/areas/E04000001", params={"type": "beat"})).json()
    assert chosen["type"] == "beat"


def test_unknown_area_code_and_unsupported_srs(api: httpx.Client) -> None:
    assert api.get("/v1/areas/E04999999").status_code == 404
    problem = error_of(api.get("/v1/areas/E04000001", params={"geometry": "true", "srs": 2154}))
    assert "srs 2154 is not supported" in problem


def test_bulk_lookup_answers_each_point_in_order(api: httpx.Client) -> None:
    points = [{"x": x, "y": y} for x, y in (IN_P2, NOWHERE, IN_P1)]
    response = api.post("/v1/areas", json={"points": points, "types": ["parish"]})
    answer = response.json()
    BulkResultsOut.model_validate(answer)
    assert [codes(result) for result in answer["results"]] == [["E04000002"], [], ["E04000001"]]
    assert answer["results"][0]["query"]["lat"] == pytest.approx(51.79, abs=0.02)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lat": 95, "lon": -0.98}, "lat must be -90 to 90"),
        ({"lat": 48.85, "lon": 2.35}, "outside Great Britain"),
        ({"x": 800_000, "y": 100_000}, "outside Great Britain"),
        (
            {"lat": 51.79, "lon": -0.97, "x": 470_000, "y": 210_000},
            "lat/lon and x/y given together",
        ),
        ({"lat": 51.79}, "lon is missing"),
        ({}, "Give exactly one location"),
        ({"x": 470_250, "y": 210_250, "types": "county"}, "unknown area type: county"),
        ({"x": 470_250, "y": 210_250, "types": "par ish"}, "not an area type name"),
        ({"lat": "north", "lon": -0.98}, "lat: Input should be a valid number"),
    ],
)
def test_bad_point_lookups_get_422_saying_what_to_fix(
    api: httpx.Client, params: dict[str, Any], expected: str
) -> None:
    assert expected in error_of(api.get("/v1/areas", params=params))


def test_unknown_types_are_answered_with_the_loaded_ones(api: httpx.Client) -> None:
    problem = error_of(api.get("/v1/areas", params={"x": 470_250, "y": 210_250, "types": "county"}))
    assert "Loaded area types are: parish, ward, district, waste_round" in problem


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"points": [{"x": 470_250, "y": 210_250}] * 101}, "101 points sent"),
        ({"points": []}, "1 to 100 points"),
        (
            {"points": [{"x": 470_250, "y": 210_250}, {"lat": 51.79, "lon": -0.97}]},
            "mixed coordinate systems",
        ),
        ({"points": [{"lat": 51.79, "lon": 200}]}, "points[0]: lat 51.79 and lon 200"),
        ({"points": [{"x": 470_250, "y": 210_250}], "types": ["county"]}, "unknown area type"),
    ],
)
def test_bad_bulk_requests_get_422_saying_what_to_fix(
    api: httpx.Client, body: dict[str, Any], expected: str
) -> None:
    assert expected in error_of(api.post("/v1/areas", json=body))


def test_the_boundary_rule_is_documented_in_openapi(api: httpx.Client) -> None:
    operation = api.get("/openapi.json").json()["paths"]["/v1/areas"]["get"]
    assert "the one with the lowest code" in operation["description"]
