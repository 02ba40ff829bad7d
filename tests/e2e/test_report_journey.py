"""The demo journey end to end in a real browser: "Report speeding traffic" served by the
service under its strict Content-Security-Policy, with the widget and without JavaScript, to
a confirmation naming the right parish and its clerk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.area_data import area_containing, house_in_parish_with_clerk
from tests.e2e.conftest import LoadedArea
from tests.e2e.widget_page import Widget, blocking_violations
from tests.support.sql import rows

YESTERDAY = date.today() - timedelta(days=1)


def describe_what_and_when(page: Page) -> None:
    page.get_by_label("What did you see?").fill("Vans racing past the school at 50 mph.")
    page.get_by_label("Day", exact=True).fill(str(YESTERDAY.day))
    page.get_by_label("Month", exact=True).fill(str(YESTERDAY.month))
    page.get_by_label("Year", exact=True).fill(str(YESTERDAY.year))
    page.get_by_label("Time of day (optional)").fill("8am")


def expect_sent_to(page: Page, parish: tuple[str, str], clerk: dict[str, str]) -> None:
    """The confirmation names the parish and its clerk."""
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    expect(page.locator(".govuk-panel")).to_contain_text(f"{parish[1]} parish")
    receiver = page.locator(".govuk-summary-list").first
    expect(receiver).to_contain_text(f"{parish[1]} ({parish[0]})")
    expect(receiver).to_contain_text(clerk["name"])
    expect(receiver.get_by_role("link", name=clerk["email"])).to_have_attribute(
        "href", f"mailto:{clerk['email']}"
    )


@pytest.fixture
def report_target(loaded_area: LoadedArea) -> tuple[Any, tuple[str, str], dict[str, str]]:
    return house_in_parish_with_clerk(loaded_area.url, loaded_area.supply, loaded_area.contacts())


def test_report_with_the_widget_reaches_the_parish_clerk(
    page: Page, api: str, report_target: tuple[Any, tuple[str, str], dict[str, str]]
) -> None:
    house, parish, clerk = report_target
    response = page.goto(f"{api}/demo/report-speeding")
    assert response and "script-src 'self'" in response.headers["content-security-policy"]
    assert blocking_violations(page) == []
    widget = Widget(page)
    widget.choose_misspelt(house)
    assert widget.value("parish_contact_email") == clerk["email"]
    describe_what_and_when(page)
    page.get_by_role("button", name="Send report").click()

    expect_sent_to(page, parish, clerk)
    expect(page.locator(".govuk-summary-list").nth(1)).to_contain_text(house["thoroughfare"])
    assert blocking_violations(page) == []


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    """A browser with JavaScript off (no axe scan here: axe is JavaScript; the same pages are
    scanned with it on)."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_report_without_javascript_finds_the_parish_from_the_postcode(
    page_without_javascript: Page,
    api: str,
    loaded_area: LoadedArea,
    report_target: tuple[Any, tuple[str, str], dict[str, str]],
) -> None:
    house, parish, clerk = report_target
    neighbours = rows(
        loaded_area.url, "SELECT x, y FROM addresses WHERE postcode = %s", house["postcode"]
    )
    in_parishes = {
        area_containing(loaded_area.supply, "parish", r["x"], r["y"]) for r in neighbours
    }
    assert in_parishes == {parish}, "the test needs a postcode wholly inside one parish"
    page = page_without_javascript
    page.goto(f"{api}/demo/report-speeding")
    expect(page.get_by_role("combobox")).to_have_count(0)
    page.get_by_label("Address line 1").fill(f"{house['building_number']} {house['thoroughfare']}")
    page.get_by_label("Town or city").fill(house["post_town"])
    page.get_by_label("Postcode (optional)").fill(house["postcode"].lower().replace(" ", ""))
    describe_what_and_when(page)
    page.get_by_role("button", name="Send report").click()

    expect_sent_to(page, parish, clerk)


def test_a_report_with_problems_comes_back_with_every_problem_named(page: Page, api: str) -> None:
    page.goto(f"{api}/demo/report-speeding")
    widget = Widget(page)
    widget.type("1 Unlisted Lane, Newbuild")
    widget.manual_link().click()
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("2")
    page.get_by_label("Year", exact=True).fill("2026")
    with page.expect_response(f"{api}/demo/report-speeding") as answer:
        page.get_by_role("button", name="Send report").click()

    assert answer.value.status == 422
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter what you saw", "The date you saw the speeding must be a real date"]
    )
    expect(page.get_by_label("Address line 1")).to_have_value("1 Unlisted Lane")
    expect(page.get_by_label("Town or city")).to_have_value("Newbuild")
    expect(page.get_by_label("Day", exact=True)).to_have_value("31")
    assert blocking_violations(page) == []
