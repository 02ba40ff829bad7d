"""OS Places compatibility, proven with Ordnance Survey's own Python client (osdatahub's
PlacesAPI) pointed at a running service, and checked against the native API's answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from osdatahub import Extent, PlacesAPI

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.loading import generated_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL, live_server


@pytest.fixture(scope="module")
def base_url(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("supply") / "gen"
    with generated_database(
        databases, folder, addresses=4000, seed=21, areas=("parish", "ward")
    ) as url:
        app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=url), tenancy=KEYS_OPTIONAL))
        with live_server(app) as base:
            yield base


@pytest.fixture(scope="module")
def places(base_url: str) -> Iterator[PlacesAPI]:
    """OS's own client, with its endpoint constant overridden to point at this service."""
    original = PlacesAPI._PlacesAPI__ENDPOINT  # type: ignore[attr-defined]
    PlacesAPI._PlacesAPI__ENDPOINT = f"{base_url}/search/places/v1/"  # type: ignore[attr-defined]
    try:
        yield PlacesAPI("any-key")
    finally:
        PlacesAPI._PlacesAPI__ENDPOINT = original  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def native(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def properties(collection: Any) -> list[dict[str, Any]]:
    return [feature["properties"] for feature in collection["features"]]


def a_house(native: httpx.Client) -> dict[str, Any]:
    """A postal address from the native API, to ask OS Places about."""
    results = native.get("/v1/addresses/search", params={"q": "high street", "limit": 20}).json()[
        "results"
    ]
    return next(r for r in results if r["postal"] and r["postal"]["building_number"])


def test_find_answers_like_the_native_search(places: PlacesAPI, native: httpx.Client) -> None:
    house = a_house(native)
    text = house["postal"]["address"]
    found = properties(places.find(text, limit=5))
    assert found[0]["UPRN"] == str(house["uprn"])
    assert found[0]["ADDRESS"] == text
    assert found[0]["MATCH"] >= 0.9 and found[0]["MATCH_DESCRIPTION"] in ("EXACT", "GOOD")
    assert found[0]["POSTCODE"] == house["postcode"]
    assert found[0]["CLASSIFICATION_CODE_DESCRIPTION"] == house["classification"]["description"]


def test_find_with_filters_and_both_datasets(places: PlacesAPI, native: httpx.Client) -> None:
    found = properties(
        places.find("high street", limit=60, classification_code="RD*", dataset=["DPA", "LPI"])
    )
    assert found, "residential addresses on a high street"
    assert all(f["CLASSIFICATION_CODE"].startswith("RD") for f in found)
    assert {"ADDRESS", "UPRN"} <= set(found[0])
    assert any("LPI_KEY" in f for f in found) and any("UDPRN" in f for f in found)


def test_postcode_district_pages_past_100(places: PlacesAPI, native: httpx.Client) -> None:
    outward = a_house(native)["postcode"].split()[0]
    found = properties(places.postcode(outward, limit=230))
    assert len(found) == 230, "osdatahub pages with offset past the first 100"
    assert len({f["UPRN"] for f in found}) == 230
    assert all(f["POSTCODE"].startswith(outward + " ") for f in found)


def test_postcode_matches_the_native_postcode_lookup(
    places: PlacesAPI, native: httpx.Client
) -> None:
    postcode = a_house(native)["postcode"]
    ours = native.get(f"/v1/postcodes/{postcode}").json()["addresses"]
    theirs = properties(places.postcode(postcode.lower().replace(" ", ""), limit=100))
    postal = [a for a in ours if a["postal"]]
    assert [f["UPRN"] for f in theirs] == [str(a["uprn"]) for a in postal]


def test_uprn_in_both_output_systems(places: PlacesAPI, native: httpx.Client) -> None:
    house = a_house(native)
    detail = native.get(f"/v1/addresses/{house['uprn']}", params={"srs": 4326}).json()
    bng = properties(places.uprn(house["uprn"]))[0]
    assert (bng["X_COORDINATE"], bng["Y_COORDINATE"]) == pytest.approx(
        (house["location"]["x"], house["location"]["y"]), abs=0.01
    )
    wgs84 = places.uprn(house["uprn"], output_crs="EPSG:4326")["features"][0]
    lng, lat = wgs84["geometry"]["coordinates"]
    assert (lat, lng) == pytest.approx(
        (detail["location"]["lat"], detail["location"]["lon"]), abs=1e-6
    )
    assert wgs84["properties"]["PARISH_CODE"].startswith("E04")


def test_nearest_is_the_native_nearest(places: PlacesAPI, native: httpx.Client) -> None:
    house = a_house(native)
    x, y = house["location"]["x"] + 3, house["location"]["y"] + 4
    ours = native.get("/v1/addresses/nearest", params={"x": x, "y": y, "limit": 1}).json()[
        "results"
    ]
    # osdatahub's nearest() refuses its own default filters (its type check rejects None),
    # so pass filters that keep everything the native call considers.
    theirs = properties(
        places.nearest(
            (x, y), "EPSG:27700", radius=200, classification_code="*", logical_status_code=1
        )
    )
    assert theirs[0]["UPRN"] == str(ours[0]["uprn"])


def native_box(native: httpx.Client, box: tuple[float, ...]) -> set[int]:
    """Every postal address the native API finds in a box, page by page."""
    found: set[int] = set()
    offset, total = 0, 1
    while offset < total:
        params = {"bbox": ",".join(map(str, box)), "limit": 100, "offset": offset}
        page = native.get("/v1/addresses", params=params).json()
        found |= {r["uprn"] for r in page["results"] if r["postal"]}
        offset, total = offset + 100, page["total"]
    return found


def test_polygon_query_matches_the_native_box(places: PlacesAPI, native: httpx.Client) -> None:
    house = a_house(native)
    x, y = house["location"]["x"], house["location"]["y"]
    box = (x - 250, y - 250, x + 250, y + 250)
    ours = native_box(native, box)
    theirs = properties(places.query(Extent.from_bbox(box, "EPSG:27700"), limit=1000))
    assert len(ours) > 100, "enough to page past 100"
    assert [int(f["UPRN"]) for f in theirs if int(f["UPRN"]) in ours] and {
        int(f["UPRN"]) for f in theirs
    } == ours


def test_polygon_in_wgs84_with_a_status_filter(places: PlacesAPI, native: httpx.Client) -> None:
    house = a_house(native)
    lat, lon = house_lat_lon(native, house["uprn"])
    box = (lon - 0.003, lat - 0.002, lon + 0.003, lat + 0.002)
    found = properties(
        places.query(
            Extent.from_bbox(box, "EPSG:4326"), output_crs="EPSG:4326", logical_status_code=1
        )
    )
    assert str(house["uprn"]) in {f["UPRN"] for f in found}
    assert all(f["LOGICAL_STATUS_CODE"] == "1" for f in found)
    assert all("LAT" in f and "LNG" in f for f in found)


def house_lat_lon(native: httpx.Client, uprn: int) -> tuple[float, float]:
    where = native.get(f"/v1/addresses/{uprn}", params={"srs": 4326}).json()["location"]
    return where["lat"], where["lon"]


def test_header_and_no_results_as_os(native: httpx.Client) -> None:
    body = native.get("/search/places/v1/find", params={"query": "zzqx qqzx", "key": "k"}).json()
    assert body["header"]["totalresults"] == 0
    assert "results" not in body
    for field in (
        "uri",
        "query",
        "offset",
        "format",
        "dataset",
        "lr",
        "maxresults",
        "epoch",
        "output_srs",
    ):
        assert field in body["header"]


@pytest.mark.parametrize(
    "params",
    [
        {"query": "high street", "maxresults": 101},
        {"query": "high street", "dataset": "XYZ"},
        {"query": "high street", "output_srs": "EPSG:1234"},
        {"query": "high street", "fq": "colour:red"},
        {"query": "high street", "format": "XML"},
        {"query": "high street", "minmatch": 5},
        {},
    ],
)
def test_errors_in_the_os_shape(native: httpx.Client, params: dict[str, Any]) -> None:
    response = native.get("/search/places/v1/find", params=params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["statuscode"] == 400 and error["message"]


def test_bbox_and_radius_limits(native: httpx.Client) -> None:
    too_big = native.get("/search/places/v1/bbox", params={"bbox": "450000,250000,452000,252000"})
    assert too_big.status_code == 400 and "1 km" in too_big.json()["error"]["message"]
    far = native.get("/search/places/v1/radius", params={"point": "450000,250000", "radius": 5000})
    assert far.status_code == 400
