"""`address-lookup load postcodes` with the real Code-Point Open files, and /v1/areas?postcode=
answering from a postcode's point when none of its addresses is loaded (and from its
addresses, split per address, when they are), with the real Boundary-Line parishes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import shapely

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.integration.test_areas_real_data import codepoint_postcodes, parishes_in_bng
from tests.support.abp import address_records, premium_row, street_records, write_premium
from tests.support.areas import load as load_boundaries
from tests.support.cli import run_cli
from tests.support.loading import load as load_addresses
from tests.support.paths import shared_data
from tests.support.server import KEYS_OPTIONAL, live_server

pytestmark = pytest.mark.slow
PARISHES = "boundaries/parishes_boundaryline_sample.geojson"
CODEPOINT = "postcodes/codepoint_open_2014"
HADDENHAM_POSTCODE = "HP17 8AA"


def load_postcodes(url: str, tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()) -> Any:
    args = ("load", "postcodes", *map(str, paths), "--rejects-dir", str(tmp_path), *extra)
    return run_cli(*args, env={"DATABASE_URL": url})


def parish_at(x: float, y: float) -> str:
    """The parish shapely says covers the point (lowest code on a shared boundary)."""
    codes, polygons = parishes_in_bng()
    covering = sorted(
        c for c, p in zip(codes, polygons, strict=True) if p.covers(shapely.Point(x, y))
    )
    return covering[0]


@pytest.fixture
def loaded(database_url: str, tmp_path: Path) -> str:
    assert load_boundaries(database_url, shared_data(PARISHES), "parish").returncode == 0
    done = load_postcodes(database_url, tmp_path, shared_data(CODEPOINT))
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "skipped" in text and "Code-Point_Open_Column_Headers.csv" in text
    total = sum(1 for _ in codepoint_postcodes())
    assert f"postcode points: {total:,}" in text
    return database_url


@pytest.fixture
def api(loaded: str) -> Iterator[httpx.Client]:
    app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=loaded), tenancy=KEYS_OPTIONAL))
    with live_server(app) as base, httpx.Client(base_url=base) as client:
        yield client


def test_a_postcode_with_no_addresses_is_answered_from_its_point(api: httpx.Client) -> None:
    key = HADDENHAM_POSTCODE.replace(" ", "")
    x, y = next((x, y) for pc, x, y in codepoint_postcodes() if pc.replace(" ", "") == key)
    answer = api.get("/v1/areas", params={"postcode": "hp178aa"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["located_by"] == "postcode_point"
    assert [(a["code"], a["address_count"]) for a in body["areas"]] == [(parish_at(x, y), 0)]
    assert body["areas"][0]["name"] == "Haddenham CP"
    assert api.get("/v1/areas", params={"postcode": "TR1 9ZZ"}).status_code == 404


def test_a_postcode_with_addresses_is_answered_per_address_as_before(
    loaded: str, api: httpx.Client, tmp_path: Path
) -> None:
    codes, polygons = parishes_in_bng()
    inside = {
        code: polygons[codes.index(code)].representative_point()
        for code in ("E04001490", "E04001474")
    }
    rows = street_records(100, "HIGH STREET", "HADDENHAM")
    for uprn, point in enumerate(inside.values(), start=1):
        house = address_records(uprn, number=uprn, postcode=HADDENHAM_POSTCODE)
        house[0] = premium_row(
            21,
            "I",
            UPRN=uprn,
            POSTCODE_LOCATOR=HADDENHAM_POSTCODE,
            X_COORDINATE=round(point.x, 2),
            Y_COORDINATE=round(point.y, 2),
        )
        rows += house
    assert load_addresses(loaded, tmp_path, write_premium(tmp_path / "a.csv", rows))[0] == 0
    body = api.get("/v1/areas", params={"postcode": HADDENHAM_POSTCODE}).json()
    assert body["located_by"] == "addresses" and body["split"] is True
    assert sorted((a["code"], a["address_count"]) for a in body["areas"]) == [
        ("E04001474", 1),
        ("E04001490", 1),
    ]


def test_a_postcode_load_that_would_cut_the_points_down_is_refused(
    loaded: str, tmp_path: Path
) -> None:
    done = load_postcodes(loaded, tmp_path, shared_data(f"{CODEPOINT}/hp.csv"))
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    total = sum(1 for _ in codepoint_postcodes())
    assert f"would take the live postcode points from {total:,} to 13,680" in message
