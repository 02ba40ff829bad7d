"""The widget's files and the demo journey over real HTTP (no browser): what is served, with
which headers, how small and how safe; the report form's answers without JavaScript, routed
to a parish by UPRN or postcode."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.loading import generated_database, load_generated_contacts
from tests.support.pg import ThrowawayDatabases
from tests.support.server import live_server
from tests.support.sql import rows

MAX_WIDGET_GZIP_BYTES = 15 * 1024
DEMO_KEY = 'al_browser_"demo"<key>'
YESTERDAY = date.today() - timedelta(days=1)


@pytest.fixture(scope="module")
def loaded_url(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    supply = tmp_path_factory.mktemp("widget-pages") / "supply"
    with generated_database(databases, supply, addresses=3000, seed=11, areas=("parish",)) as url:
        load_generated_contacts(url, supply)
        yield url


@pytest.fixture(scope="module")
def site(loaded_url: str) -> Iterator[httpx.Client]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ADDRESS_LOOKUP_DEMO_KEY", DEMO_KEY)
        settings = Settings(db=DatabaseSettings(DATABASE_URL=loaded_url))
    with live_server(create_app(settings)) as base, httpx.Client(base_url=base) as client:
        yield client


def test_the_widget_script_is_small_safe_and_loadable_from_any_origin(site: httpx.Client) -> None:
    answer = site.get("/widget/v1/address-lookup.js")
    assert answer.status_code == 200
    assert "javascript" in answer.headers["content-type"]
    assert answer.headers["cross-origin-resource-policy"] == "cross-origin"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert len(gzip.compress(answer.content, 9)) <= MAX_WIDGET_GZIP_BYTES
    script = answer.text
    for unsafe in (
        "eval(",
        "new Function",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "setAttribute('style'",
        ".style.",
    ):
        assert unsafe not in script, unsafe
    # No third-party requests: the only absolute URL is the embedding example in its comment.
    assert re.findall(r"https?://[^\s'\"]+", script) == [
        "https://SERVICE/widget/v1/address-lookup.js"
    ]
    assert site.get("/widget/v1/address-lookup.css").headers["content-type"].startswith("text/css")


def test_govuk_frontend_is_served_from_npm_with_its_assets_under_the_demo(
    site: httpx.Client,
) -> None:
    css = site.get("/demo/govuk/govuk-frontend.min.css")
    assert css.status_code == 200
    fonts = re.findall(r"url\((/[^)]+\.woff2)\)", css.text)
    assert fonts and all(font.startswith("/demo/govuk/assets/fonts/") for font in fonts)
    assert "url(/assets/" not in css.text
    font = site.get(fonts[0])
    assert font.status_code == 200 and len(font.content) > 1000


def test_the_demo_form_is_strict_and_gives_the_widget_the_demo_key(site: httpx.Client) -> None:
    answer = site.get("/demo/report-speeding")
    assert answer.status_code == 200
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page = answer.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # no inline script
    assert "<style" not in page and " style=" not in page
    assert 'data-key="al_browser_&#34;demo&#34;&lt;key&gt;"' in page
    assert 'data-areas="parish"' in page
    for name in ("address-line1", "address-level2", "postal-code"):
        assert f'autocomplete="{name}"' in page


def report(**fields: str) -> dict[str, str]:
    """A complete report; tests change the fields they are about."""
    return {
        "address_line_1": "1 High Street",
        "town": "Granmoor",
        "what_happened": "Fast cars",
        "when-day": str(YESTERDAY.day),
        "when-month": str(YESTERDAY.month),
        "when-year": str(YESTERDAY.year),
        **fields,
    }


def parish_of(url: str, uprn: int) -> dict[str, Any]:
    found = rows(
        url,
        "SELECT p.code, p.name, p.contacts FROM addresses a, "
        "areas_at_points(ARRAY[a.x], ARRAY[a.y], ARRAY['parish']) p WHERE a.uprn = %s",
        uprn,
    )
    return found[0]


def test_without_javascript_a_uprn_is_routed_to_its_parish_and_clerk(
    site: httpx.Client, loaded_url: str
) -> None:
    houses = rows(loaded_url, "SELECT uprn FROM addresses ORDER BY uprn LIMIT 200")
    uprn, parish = next(
        (h["uprn"], p) for h in houses if (p := parish_of(loaded_url, h["uprn"]))["contacts"]
    )
    answer = site.post("/demo/report-speeding", data=report(uprn=str(uprn), parish_code="FAKE"))
    assert answer.status_code == 200
    assert f"{parish['name']} ({parish['code']})" in answer.text
    assert "FAKE" not in answer.text  # the page's own parish fields are never trusted
    clerk = parish["contacts"][0]
    assert clerk["name"] in answer.text and f"mailto:{clerk['email']}" in answer.text


def test_a_split_postcode_goes_to_the_parish_with_most_of_its_addresses(
    site: httpx.Client, loaded_url: str
) -> None:
    counts = rows(
        loaded_url,
        "SELECT a.postcode, p.name, count(*) AS n FROM addresses a, "
        "areas_at_points(ARRAY[a.x], ARRAY[a.y], ARRAY['parish']) p "
        "GROUP BY a.postcode, p.name ORDER BY a.postcode, n DESC, p.name",
    )
    by_postcode: dict[str, list[dict[str, Any]]] = {}
    for row in counts:
        by_postcode.setdefault(row["postcode"], []).append(row)
    postcode, shares = next(
        (pc, s) for pc, s in by_postcode.items() if len(s) > 1 and s[0]["n"] > s[1]["n"]
    )
    answer = site.post("/demo/report-speeding", data=report(postcode=postcode.lower()))
    assert answer.status_code == 200
    assert f"{shares[0]['name']} parish" in answer.text
    assert "covers more than one parish" in answer.text


def test_an_unknown_place_still_gets_a_confirmation(site: httpx.Client) -> None:
    answer = site.post("/demo/report-speeding", data=report(uprn="not-a-number"))
    assert answer.status_code == 200
    assert "could not tell which parish" in answer.text


def test_problems_come_back_as_a_422_page_naming_each(site: httpx.Client) -> None:
    future = YESTERDAY + timedelta(days=3)
    answer = site.post(
        "/demo/report-speeding",
        data=report(
            address_line_1="",
            postcode="not a postcode",
            what_happened="",
            **{
                "when-day": str(future.day),
                "when-month": str(future.month),
                "when-year": str(future.year),
            },
        ),
    )
    assert answer.status_code == 422
    assert answer.headers["content-security-policy"]
    for message in (
        "Enter address line 1",
        "Enter a real postcode",
        "Enter what you saw",
        "must be today or in the past",
    ):
        assert message in answer.text
    assert 'value="not a postcode"' in answer.text


def test_what_a_resident_typed_is_shown_as_text(site: httpx.Client) -> None:
    answer = site.post("/demo/report-speeding", data=report(what_happened="<script>x()</script>"))
    assert answer.status_code == 200
    assert "&lt;script&gt;x()&lt;/script&gt;" in answer.text
    assert "<script>x()" not in answer.text
