"""One natural order of addresses for every face of the service: the native postcode list,
OS Places' postcode answer and the order of equally good search matches agree on the same rows
(9 before 12 before 12A before 14; a named building's flats together, the building first, Flat
2 before Flat 10)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.abp import premium_row, street_records, write_premium
from tests.support.cli import run_cli
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL, live_server

POSTCODE = "FX1 1AA"
# uprn: (house number, its letter, building name, flat number)
PLACES: dict[int, tuple[int | None, str | None, str | None, int | None]] = {
    101: (12, None, None, None),
    102: (12, "A", None, None),
    103: (14, None, None, None),
    104: (9, None, None, None),
    110: (None, None, "ROSE COURT", 10),
    111: (None, None, "ROSE COURT", 2),
    112: (None, None, "ASH HOUSE", 10),
    113: (None, None, "ROSE COURT", 1),
    114: (None, None, "ASH HOUSE", 2),
    115: (None, None, "ROSE COURT", None),
}
NATURAL = [104, 101, 102, 103, 114, 112, 115, 113, 111, 110]


def place_records(uprn: int) -> list[list[str]]:
    """A house, a named building, or a flat in one, on High Street in one postcode."""
    number, letter, building, flat = PLACES[uprn]
    sub_building = f"FLAT {flat}" if flat else None
    return [
        premium_row(21, UPRN=uprn, POSTCODE_LOCATOR=POSTCODE, X_COORDINATE=450000 + uprn),
        premium_row(
            24,
            UPRN=uprn,
            LPI_KEY=f"9999L{uprn:09d}",
            USRN=100,
            PAO_START_NUMBER=number,
            PAO_START_SUFFIX=letter,
            PAO_TEXT=building,
            SAO_START_NUMBER=flat,
            SAO_TEXT="FLAT" if flat else None,
        ),
        premium_row(
            28,
            UPRN=uprn,
            UDPRN=10_000_000 + uprn,
            BUILDING_NUMBER=number,
            BUILDING_NAME=(f"{number}{letter}" if letter else building),
            SUB_BUILDING_NAME=sub_building,
            THOROUGHFARE="HIGH STREET",
            POST_TOWN="TESTTOWN",
            POSTCODE=POSTCODE,
        ),
        premium_row(32, UPRN=uprn, CLASS_KEY=f"9999C{uprn:09d}", CLASSIFICATION_CODE="RD04"),
    ]


@pytest.fixture(scope="module")
def api(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    rows = street_records() + [row for uprn in PLACES for row in place_records(uprn)]
    supply = write_premium(Path(tmp_path_factory.mktemp("order")) / "supply.csv", rows)
    with databases.fresh() as url:
        loaded = run_cli("load", "addressbase", str(supply), env={"DATABASE_URL": url})
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=url), tenancy=KEYS_OPTIONAL))
        with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            yield client


def native_order(api: httpx.Client) -> list[int]:
    answer = api.get(f"/v1/postcodes/{POSTCODE}")
    assert answer.status_code == 200, answer.text
    return [address["uprn"] for address in answer.json()["addresses"]]


def os_places_order(api: httpx.Client) -> list[int]:
    answer = api.get("/search/places/v1/postcode", params={"postcode": POSTCODE, "key": "k"})
    assert answer.status_code == 200, answer.text
    return [int(result["DPA"]["UPRN"]) for result in answer.json()["results"]]


def tied_groups(api: httpx.Client) -> list[list[int]]:
    """Search matches grouped by equal score, each group in the order search gave it."""
    answer = api.get("/v1/addresses/search", params={"q": POSTCODE, "limit": 100})
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return [[r["uprn"] for r in group] for _, group in groupby(results, key=lambda r: r["score"])]


def test_the_native_postcode_list_is_in_natural_order(api: httpx.Client) -> None:
    assert native_order(api) == NATURAL


def test_os_places_lists_a_postcode_in_the_same_order(api: httpx.Client) -> None:
    assert os_places_order(api) == NATURAL


def test_equally_good_search_matches_come_in_the_same_order(api: httpx.Client) -> None:
    groups = tied_groups(api)
    assert sorted(uprn for group in groups for uprn in group) == sorted(PLACES)
    assert max(len(group) for group in groups) >= 4, groups  # real ties, not one per score
    for group in groups:
        assert group == [uprn for uprn in NATURAL if uprn in group]
