"""Typeahead over real HTTP on a generated area loaded with the real CLI: suggestions show why
they match, and rank for the council that asks (its key's home area) or near a point."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from service.main import create_app
from service.search.candidates import find_word_sets
from service.search.completion import part_words
from service.search.parse import parse_query
from service.search.typeahead import corrections
from service.settings import DatabaseSettings, Settings
from tests.integration.test_address_api import one, rows
from tests.support.abp import address_records, premium_row, street_records, write_premium
from tests.support.keys import add_council, issue_key
from tests.support.loading import fetch, generated_database, load
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL, live_server

HOME_COUNCIL = "E07000203"
# Addresses whose search index holds a place word their displayed address does not show.
HIDDEN_PLACE = """
SELECT a.uprn, a.address, a.building_number, a.thoroughfare, s.places
FROM addresses a JOIN address_search s USING (uprn)
WHERE a.building_number IS NOT NULL AND a.thoroughfare IS NOT NULL AND a.sub_building_name IS NULL
  AND a.building_name IS NULL AND a.organisation_name IS NULL AND a.logical_status = 1
ORDER BY a.uprn
"""
# A house number and street found alike in the areas of several councils.
SHARED_STREET = """
SELECT building_number AS number, thoroughfare AS street,
       array_agg(DISTINCT custodian_code ORDER BY custodian_code) AS custodians
FROM addresses
WHERE building_number IS NOT NULL AND sub_building_name IS NULL AND building_name IS NULL
  AND organisation_name IS NULL AND dependent_thoroughfare IS NULL
GROUP BY 1, 2
HAVING count(DISTINCT custodian_code) >= 2 AND bool_and(logical_status = 1) AND count(*) <= 20
ORDER BY count(*) DESC, 2, 1
"""


@pytest.fixture(scope="module")
def loaded_url(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """3,000 generated addresses (several councils' areas), loaded as an operator would."""
    folder = tmp_path_factory.mktemp("typeahead") / "gen"
    with generated_database(databases, folder, addresses=3000, seed=11) as url:
        yield url


@pytest.fixture(scope="module")
def shared(loaded_url: str) -> dict[str, Any]:
    return one(loaded_url, SHARED_STREET)


@pytest.fixture(scope="module")
def home_key(loaded_url: str, shared: dict[str, Any]) -> str:
    """A server key of a council whose home area is the last council holding that street."""
    home = str(shared["custodians"][-1])
    add_council(loaded_url, HOME_COUNCIL, "Home Council", "--custodian", home)
    return issue_key(loaded_url, HOME_COUNCIL, "server")


@pytest.fixture(scope="module")
def api(loaded_url: str) -> Iterator[httpx.Client]:
    app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=loaded_url)))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def suggest(api: httpx.Client, key: str, q: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(
        "/v1/addresses/autocomplete", params={"q": q, **params}, headers={"X-API-Key": key}
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def shown(address: str) -> set[str]:
    return {word for part in address.split(",") for word in part_words(part)}


def hidden_place(url: str) -> tuple[dict[str, Any], str]:
    """An address with a place word (a locality) its displayed address does not show."""
    for row in rows(url, HIDDEN_PLACE):
        unseen = [w for w in row["places"].split() if w not in shown(row["address"])]
        if unseen and len(unseen[0]) >= 4:
            return row, unseen[0]
    pytest.skip("the generated area has no hidden locality")


def test_a_hidden_locality_that_matched_is_named(
    api: httpx.Client, loaded_url: str, home_key: str
) -> None:
    row, hidden = hidden_place(loaded_url)
    typed = f"{row['building_number']} {row['thoroughfare'].lower()} {hidden[:4]}"
    first = suggest(api, home_key, typed)[0]
    assert first["uprn"] == row["uprn"]
    assert hidden.upper() in first["match"] and "not shown" in first["match"]


@pytest.fixture(scope="module")
def highfield(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """The demo data's case: 12 High Street, and two number 12s in streets of the locality
    HIGHFIELD, which the gazetteer holds and their postal addresses do not show."""
    folder = tmp_path_factory.mktemp("highfield")
    records = street_records(100, "HIGH STREET", "TESTTOWN")
    for usrn, name in ((200, "COBDEN PLACE"), (300, "WELLINGTON ROAD")):
        records += [
            premium_row(11, USRN=usrn),
            premium_row(15, USRN=usrn, STREET_DESCRIPTION=name, LOCALITY="HIGHFIELD"),
        ]
        records += address_records(usrn, number=12, street_usrn=usrn, thoroughfare=name)
    records += address_records(1, number=12, street_usrn=100)
    with databases.fresh() as url:
        code, _, err = load(url, folder, write_premium(folder / "highfield.csv", records))
        assert code == 0, err
        app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=url), tenancy=KEYS_OPTIONAL))
        with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            yield client


def test_no_suggestion_ranks_on_words_it_does_not_show(highfield: httpx.Client) -> None:
    response = highfield.get("/v1/addresses/autocomplete", params={"q": "12 hig"})
    results = response.json()["results"]
    assert results[0]["address"].startswith("12, HIGH STREET")
    for result in results[1:]:  # any other 12 can only rank by its hidden locality: named
        assert "matched HIGHFIELD, not shown" in result["match"], result
        assert result["score"] < results[0]["score"]


def test_the_callers_home_area_comes_first_when_the_text_fits_equally(
    api: httpx.Client, shared: dict[str, Any], home_key: str, loaded_url: str
) -> None:
    typed = f"{shared['number']} {shared['street'].lower()}"
    home = shared["custodians"][-1]
    results = suggest(api, home_key, typed, limit=20)
    custodians = [custodian_of(api, home_key, r["uprn"]) for r in results]
    assert custodians[0] == home
    scores = [r["score"] for r in results]
    tied = [c for c, s in zip(custodians, scores, strict=True) if s == scores[0]]
    assert tied == sorted(tied, key=lambda c: c != home), "home first among equals"
    assert len(set(tied)) >= 2, "the street is found alike in other councils' areas"


def custodian_of(api: httpx.Client, key: str, uprn: int) -> int:
    response = api.get(f"/v1/addresses/{uprn}", headers={"X-API-Key": key})
    custodian: int = response.json()["custodian_code"]
    return custodian


def test_near_puts_the_nearest_of_equals_first_for_search_and_typeahead(
    api: httpx.Client, shared: dict[str, Any], home_key: str
) -> None:
    typed = f"{shared['number']} {shared['street'].lower()}"
    for path in ("/v1/addresses/autocomplete", "/v1/addresses/search"):
        plain = answers(api, home_key, path, q=typed, limit=20, srs=4326)
        tied = [r for r in plain if r["score"] == plain[0]["score"]]
        assert len(tied) >= 2, path
        far = tied[-1]  # the last of the equals: bring it first by standing beside it
        near = f"{far['location']['lat']},{far['location']['lon']}"
        biased = answers(api, home_key, path, q=typed, limit=20, near=near)
        assert biased[0]["uprn"] == far["uprn"], path


def answers(api: httpx.Client, key: str, path: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(path, params=params, headers={"X-API-Key": key})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@pytest.mark.parametrize("near", ["52.6", "north,east", "95,1.2", "52.6,1.2,3"])
def test_a_bad_near_is_a_422_saying_how_to_write_it(
    api: httpx.Client, home_key: str, near: str
) -> None:
    for path in ("/v1/addresses/autocomplete", "/v1/addresses/search"):
        response = api.get(
            path, params={"q": "1 high", "near": near}, headers={"X-API-Key": home_key}
        )
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["message"] and error["hint"], error


async def test_a_change_only_update_rebuilds_the_completions(
    database_url: str, tmp_path: Path
) -> None:
    rows = street_records(100, "HIGH STREET")
    for uprn in range(1, 4):
        rows += address_records(uprn, number=uprn)
    code, _, err = load(database_url, tmp_path, write_premium(tmp_path / "full.csv", rows))
    assert code == 0, err
    changes = [
        *address_records(6, number=6, thoroughfare="ROSE WALK"),  # a new house
        premium_row(21, "D", 7, UPRN=3, X_COORDINATE=1, Y_COORDINATE=1),
        premium_row(24, "D", 8, UPRN=3, LPI_KEY="9999L000000003"),
        premium_row(28, "D", 9, UPRN=3, UDPRN=10_000_003),
        premium_row(32, "D", 10, UPRN=3, CLASS_KEY="9999C000000003", CLASSIFICATION_CODE="RD04"),
    ]
    cou = write_premium(tmp_path / "cou.csv", changes, file_type="C")
    code, _, err = load(database_url, tmp_path, cou)
    assert code == 0, err
    stored = {r["key"]: r["uprns"] for r in await fetch(database_url, COMPLETIONS)}
    assert stored["6"] == [6] and stored["r"] == [6]  # the new house, by number and street
    assert all(3 not in uprns for uprns in stored.values())  # the deleted one is gone


COMPLETIONS = "SELECT key, uprns FROM search_completions"


def _swapped_street(url: str) -> tuple[dict[str, Any], str]:
    """A plain numbered address and its street's first word with its 2nd and 3rd letters
    swapped, where trigrams alone cannot find the word again (as 'geren' for 'green')."""
    for row in rows(url, HIDDEN_PLACE):
        word = row["thoroughfare"].split()[0].lower()
        if len(word) < 5 or not word.isalpha() or word[1] == word[2]:
            continue
        swapped = word[0] + word[2] + word[1] + word[3:]
        found = one(  # letters only: safe to write into the statement
            url,
            f"SELECT similarity('{word}', '{swapped}') AS alike, "
            f"EXISTS (SELECT FROM search_words WHERE word = '{swapped}') AS known",
        )
        if found["alike"] < 0.3 and not found["known"]:
            return row, swapped
    pytest.skip("no street word here that trigrams miss once two letters are swapped")


def test_two_swapped_letters_trigrams_miss_are_corrected(
    api: httpx.Client, loaded_url: str, home_key: str
) -> None:
    row, swapped = _swapped_street(loaded_url)
    word = row["thoroughfare"].split()[0].lower()

    async def read_as_meant() -> tuple[dict[str, str], set[str]]:
        conn = await asyncpg.connect(loaded_url)
        try:
            sets = await find_word_sets(conn, parse_query(swapped))
            return await corrections(conn, [swapped]), set(sets[0].words.values())
        finally:
            await conn.close()

    typeahead_reads, search_reads = asyncio.run(read_as_meant())
    assert typeahead_reads == {swapped: word} and word in search_reads
    rest = " ".join(row["thoroughfare"].lower().split()[1:])
    typed = f"{row['building_number']} {swapped} {rest}"
    assert suggest(api, home_key, typed)[0]["uprn"] == row["uprn"]


def test_addresses_indexed_before_shown_words_were_stored_are_suggested_alike(
    databases: ThrowawayDatabases, tmp_path: Path
) -> None:
    records = street_records(100, "HIGH STREET", "TESTTOWN")
    for uprn in range(1, 30):
        records += address_records(uprn, number=uprn, street_usrn=100)
    with databases.fresh() as url:
        code, _, err = load(url, tmp_path, write_premium(tmp_path / "high.csv", records))
        assert code == 0, err
        app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=url), tenancy=KEYS_OPTIONAL))
        with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:

            def answers() -> list[list[dict[str, Any]]]:
                asked = ("12 hig", "2 high street test", "high stre")
                found = [client.get("/v1/addresses/autocomplete", params={"q": q}) for q in asked]
                return [response.json()["results"] for response in found]

            stored = answers()
            asyncio.run(fetch(url, "UPDATE address_search SET shown = NULL"))  # before 0011
            assert stored[0][0]["address"].startswith("12, HIGH STREET") and answers() == stored
