"""The address and postcode API over real HTTP, on a generated area loaded with the real CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.loading import generated_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL, live_server


@pytest.fixture(scope="module")
def loaded_url(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database holding 3,000 generated addresses, loaded as an operator would."""
    folder = tmp_path_factory.mktemp("supply") / "gen"
    with generated_database(databases, folder, addresses=3000, seed=11, areas=("parish",)) as url:
        yield url


@pytest.fixture(scope="module")
def api(loaded_url: str) -> Iterator[httpx.Client]:
    app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=loaded_url), tenancy=KEYS_OPTIONAL))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


PLAIN_HOUSE = (
    "SELECT * FROM addresses WHERE building_number IS NOT NULL AND thoroughfare IS NOT NULL "
    "AND sub_building_name IS NULL AND building_name IS NULL ORDER BY uprn"
)


def rows(url: str, sql: str) -> list[dict[str, Any]]:
    async def fetch() -> list[dict[str, Any]]:
        conn = await asyncpg.connect(url)
        try:
            return [dict(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()

    return asyncio.run(fetch())


def one(url: str, sql: str) -> dict[str, Any]:
    return rows(url, sql + " LIMIT 1")[0]


def top_uprn(api: httpx.Client, q: str, **params: Any) -> int | None:
    response = api.get("/v1/addresses/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    return results[0]["uprn"] if results else None


def test_search_finds_a_house_however_it_is_typed(api: httpx.Client, loaded_url: str) -> None:
    house = one(
        loaded_url,
        "SELECT * FROM addresses WHERE building_number IS NOT NULL AND sub_building_name IS NULL "
        "AND organisation_name IS NULL AND building_name IS NULL AND logical_status = 1 "
        "AND thoroughfare LIKE '% ROAD' ORDER BY uprn",
    )
    number, street, town = house["building_number"], house["thoroughfare"], house["post_town"]
    short = street.replace(" ROAD", " RD").lower()
    for q in (
        f"{number} {street}, {town}, {house['postcode']}",
        f"{number} {short} {town.lower()} {house['postcode'].replace(' ', '').lower()}",
        f"{number}, {street[:-6]}  {street[-4:]} {house['postcode']}",
    ):
        assert top_uprn(api, q) == house["uprn"], q


def test_search_finds_a_flat_in_every_form(api: httpx.Client, loaded_url: str) -> None:
    flat = one(
        loaded_url,
        "SELECT * FROM addresses WHERE sao_start_number IS NOT NULL "
        "AND building_number IS NOT NULL AND thoroughfare IS NOT NULL "
        "AND sao_start_suffix IS NULL ORDER BY uprn",
    )
    n, number, street, postcode = (
        flat["sao_start_number"],
        flat["building_number"],
        flat["thoroughfare"],
        flat["postcode"],
    )
    for q in (
        f"Flat {n}, {number} {street} {postcode}",
        f"{n}/{number} {street} {postcode}",
        f"{number} {street} flat {n} {postcode}",
    ):
        assert top_uprn(api, q) == flat["uprn"], q


def test_search_answer_shape_and_score(api: httpx.Client) -> None:
    body = api.get(
        "/v1/addresses/search", params={"q": "high street", "limit": 2, "srs": 4326}
    ).json()
    assert body["total"] >= 2
    first = body["results"][0]
    assert 0 < first["score"] <= 1 and first["match"]
    assert first["location"]["srs"] == 4326 and 49 < first["location"]["lat"] < 61
    assert first["classification"]["description"]
    assert {"uprn", "address", "postcode", "postal", "gazetteer", "status"} <= set(first)


def test_answers_can_include_their_areas(api: httpx.Client) -> None:
    found = api.get(
        "/v1/addresses/search", params={"q": "high street", "limit": 3, "include": "areas"}
    )
    results = found.json()["results"]
    assert results and all(r["areas"][0]["type"] == "parish" for r in results)
    one = api.get(f"/v1/addresses/{results[0]['uprn']}", params={"include": "areas"}).json()
    assert one["areas"][0]["code"] == results[0]["areas"][0]["code"]
    assert "areas" not in api.get(f"/v1/addresses/{results[0]['uprn']}").json()


def test_search_filters(api: httpx.Client) -> None:
    body = api.get(
        "/v1/addresses/search", params={"q": "high street", "classification": "RD", "limit": 50}
    ).json()
    assert body["results"] and all(
        r["classification"]["code"].startswith("RD") for r in body["results"]
    )


def test_autocomplete_is_light_and_takes_a_prefix(api: httpx.Client, loaded_url: str) -> None:
    house = one(
        loaded_url,
        PLAIN_HOUSE,
    )
    typed = f"{house['building_number']} {house['thoroughfare'][:4].lower()}"
    results = api.get("/v1/addresses/autocomplete", params={"q": typed}).json()["results"]
    assert results and set(results[0]) == {
        "uprn",
        "address",
        "postcode",
        "location",
        "score",
        "match",
    }
    assert all(r["address"].split(", ")[0] != "" for r in results)


def test_uprn_lookup_with_parent_and_children(api: httpx.Client, loaded_url: str) -> None:
    child = one(
        loaded_url,
        "SELECT uprn, parent_uprn FROM addresses WHERE parent_uprn IS NOT NULL ORDER BY uprn",
    )
    body = api.get(f"/v1/addresses/{child['uprn']}").json()
    assert body["parent_uprn"] == child["parent_uprn"]
    parent = api.get(f"/v1/addresses/{child['parent_uprn']}").json()
    assert child["uprn"] in parent["child_uprns"]
    missing = api.get("/v1/addresses/999999999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api.get("/v1/addresses/abc").status_code == 422


def test_postcode_lists_addresses_in_natural_order(api: httpx.Client, loaded_url: str) -> None:
    postcode = one(
        loaded_url, "SELECT postcode FROM addresses WHERE sao_start_number >= 10 ORDER BY uprn"
    )["postcode"]
    for typed in (postcode, postcode.lower().replace(" ", ""), f"  {postcode.lower()} "):
        body = api.get(f"/v1/postcodes/{typed}").json()
        assert body["postcode"] == postcode
    flats = [
        a for a in body["addresses"] if a["gazetteer"] and a["gazetteer"]["sao"].get("start_number")
    ]
    numbers = [
        (a["gazetteer"]["pao"].get("start_number") or 0, a["gazetteer"]["sao"]["start_number"])
        for a in flats
    ]
    assert numbers == sorted(numbers), "Flat 2 before Flat 10"
    assert body["total"] == len(body["addresses"]) == body["address_count"]


def test_invalid_and_unknown_postcodes(api: httpx.Client, loaded_url: str) -> None:
    invalid = api.get("/v1/postcodes/NOT-A-PC")
    assert invalid.status_code == 422
    assert "not a valid UK postcode" in invalid.json()["error"]["message"]
    known = one(loaded_url, "SELECT postcode_key FROM postcodes ORDER BY postcode_key")[
        "postcode_key"
    ]
    unknown = known[:-2] + ("ZZ" if known[-2:] != "ZZ" else "YY")
    response = api.get(f"/v1/postcodes/{unknown}")
    assert response.status_code == 404
    assert response.json()["error"]["details"][0]["similar_postcodes"]


def test_postcode_typeahead_and_bulk(api: httpx.Client, loaded_url: str) -> None:
    key = one(loaded_url, "SELECT postcode_key, postcode FROM postcodes ORDER BY postcode_key")
    outward = key["postcode"].split()[0]
    results = api.get("/v1/postcodes", params={"q": outward.lower()}).json()["results"]
    assert results and all(r["postcode"].startswith(outward + " ") for r in results)
    bulk = api.post(
        "/v1/postcodes", json={"postcodes": [key["postcode"], "FX9 9ZZ", "nonsense"]}
    ).json()["results"]
    assert bulk[0]["result"]["postcode"] == key["postcode"]
    assert bulk[1]["result"] is None and bulk[1]["error"] is None
    assert bulk[2]["error"]
    too_many = api.post("/v1/postcodes", json={"postcodes": ["FX1 1AA"] * 101})
    assert too_many.status_code == 422


def test_nearest_and_box_with_paging(api: httpx.Client, loaded_url: str) -> None:
    centre = one(loaded_url, "SELECT avg(x) AS x, avg(y) AS y FROM addresses")
    near = api.get(
        "/v1/addresses/nearest",
        params={"x": centre["x"], "y": centre["y"], "radius": 1000, "limit": 5},
    ).json()["results"]
    distances = [r["distance"] for r in near]
    assert distances == sorted(distances)
    x, y = centre["x"], centre["y"]
    box = f"{x - 1000},{y - 1000},{x + 1000},{y + 1000}"
    first = api.get("/v1/addresses", params={"bbox": box, "limit": 100}).json()
    assert first["total"] > 100, "enough addresses to page past 100"
    second = api.get("/v1/addresses", params={"bbox": box, "limit": 100, "offset": 100}).json()
    assert not {r["uprn"] for r in first["results"]} & {r["uprn"] for r in second["results"]}
    assert second["total"] == first["total"]


def test_bulk_match(api: httpx.Client, loaded_url: str) -> None:
    house = one(
        loaded_url,
        PLAIN_HOUSE,
    )
    messy = (
        f"{house['building_number']} {house['thoroughfare'].lower()} {house['postcode'].lower()}"
    )
    results = api.post("/v1/addresses/match", json={"addresses": [messy, "zzz qqq"]}).json()[
        "results"
    ]
    assert results[0]["match"]["uprn"] == house["uprn"]
    assert results[1]["match"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "!!!,,,"},
        {"q": "😀😀"},
        {"q": "\x00\x07"},
        {"q": "high street", "limit": -1},
        {"q": "high street", "limit": 100000},
        {"q": "high street", "offset": -5},
        {"q": "high street", "offset": 10**9},
        {"q": "high street", "srs": 1234},
        {"q": "high street", "within": "1,2,3"},
        {"q": "high street", "postcode": "nope"},
    ],
)
def test_bad_search_input_is_a_clear_422(api: httpx.Client, params: dict[str, Any]) -> None:
    response = api.get("/v1/addresses/search", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "high street; DROP TABLE addresses", "100% _high\\ street", "a" * 200]
)
def test_hostile_text_is_an_ordinary_query(api: httpx.Client, q: str) -> None:
    response = api.get("/v1/addresses/search", params={"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_nearest_refuses_bad_points(api: httpx.Client) -> None:
    for params in (
        {"lat": 91, "lon": 0},
        {"lat": 40.7, "lon": -74},
        {"lat": 52, "lon": -1, "x": 1, "y": 1},
        {"lat": 52},
        {},
    ):
        response = api.get("/v1/addresses/nearest", params=params)
        assert response.status_code == 422, params
