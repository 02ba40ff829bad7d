"""The widget's one search field in a real browser: typeahead chosen by keyboard, a postcode's
whole list in natural order with flats grouped, the keyboard and the live region, and answers
that arrive out of order."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route, expect

from tests.e2e.area_data import (
    addresses_in,
    area_containing,
    building_with_flats_2_and_10,
    plain_house,
)
from tests.e2e.conftest import LoadedArea
from tests.e2e.host import Host
from tests.e2e.widget_page import Widget, wait_until


def test_a_misspelt_address_chosen_by_keyboard_fills_the_form(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    house = plain_house(loaded_area.url)
    page.goto(same_origin.form_url(areas="parish,ward"))
    widget = Widget(page)
    detail = widget.choose_misspelt(house)

    assert widget.value("uprn") == str(house["uprn"])
    assert widget.value("address_line_1") == f"{house['building_number']} {house['thoroughfare']}"
    assert widget.value("address_line_2") == house["dependent_locality"]
    assert widget.value("town") == house["post_town"]
    assert widget.value("postcode") == house["postcode"]
    parish = area_containing(loaded_area.supply, "parish", house["x"], house["y"])
    ward = area_containing(loaded_area.supply, "ward", house["x"], house["y"])
    assert parish and ward
    assert (widget.value("parish_code"), widget.value("parish_name")) == parish
    assert (widget.value("ward_code"), widget.value("ward_name")) == ward
    assert detail["address"]["uprn"] == house["uprn"]
    assert {area["type"] for area in detail["areas"]["areas"]} == {"parish", "ward"}
    expect(widget.combobox).to_have_attribute("aria-expanded", "false")
    expect(widget.status).to_contain_text("Address chosen:")


def test_a_postcode_lists_every_address_in_natural_order_with_flats_grouped(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    building = building_with_flats_2_and_10(loaded_area.url)
    page.goto(same_origin.form_url())
    widget = Widget(page)
    widget.type(building["postcode"].lower().replace(" ", ""))  # 'fx21bu'
    widget.wait_for_options()

    expect(widget.options).to_have_count(addresses_in(loaded_area.url, building["postcode"]))
    uprns = widget.uprns()
    assert uprns.index(building["flat_2"]) < uprns.index(building["flat_10"])
    flat_2 = page.locator(f'[data-uprn="{building["flat_2"]}"]')
    group = widget.listbox.get_by_role("group").filter(has=flat_2)
    expect(group).to_have_count(1)
    expect(group.locator(f'[data-uprn="{building["flat_10"]}"]')).to_have_count(1)
    expect(widget.status).to_contain_text(f"in {building['postcode']}")

    widget.choose_by_keyboard(building["flat_10"])
    widget.wait_for_choice()
    assert widget.value("uprn") == str(building["flat_10"])
    assert widget.value("address_line_1").startswith("FLAT 10")


def test_keyboard_and_live_region_follow_the_combobox_pattern(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    house = plain_house(loaded_area.url)
    page.goto(same_origin.form_url())
    widget = Widget(page)
    expect(widget.combobox).to_have_attribute("aria-expanded", "false")
    widget.type(house["postcode"])
    count = len(widget.wait_for_options())
    expect(widget.combobox).to_have_attribute("aria-expanded", "true")
    expect(widget.status).to_contain_text(f"{count} addresses in {house['postcode']}")

    widget.combobox.press("ArrowUp")  # from the box, up wraps to the last suggestion
    expect(widget.options.last).to_have_attribute("aria-selected", "true")
    widget.combobox.press("ArrowDown")  # and down wraps to the first
    first = widget.options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(widget.combobox).to_have_attribute(
        "aria-activedescendant", first.get_attribute("id") or ""
    )
    expect(widget.combobox).to_be_focused()

    widget.combobox.press("Escape")
    expect(widget.listbox).to_be_hidden()
    expect(widget.combobox).to_have_attribute("aria-expanded", "false")
    widget.combobox.press("ArrowDown")  # reopens what was there
    expect(widget.listbox).to_be_visible()
    widget.combobox.press("Tab")
    expect(widget.listbox).to_be_hidden()
    expect(widget.combobox).to_have_value(house["postcode"])  # nothing typed is lost


def test_a_slow_first_answer_never_overwrites_a_later_one(
    page: Page, same_origin: Host, loaded_area: LoadedArea, api: str
) -> None:
    house = plain_house(loaded_area.url)
    first_query = house["thoroughfare"].lower()  # a whole street: many houses
    later_query = f"{first_query} {house['building_number']} {house['dependent_locality'].lower()}"
    first_answer = suggestion_labels(api, first_query)
    held: list[Route] = []

    def hold_first_answer(route: Route) -> None:
        query = parse_qs(urlsplit(route.request.url).query)["q"][0]
        if query == first_query and not held:
            held.append(route)  # answered only after the later query's answer is shown
        else:
            route.continue_()

    page.route("**/v1/addresses/autocomplete*", hold_first_answer)
    page.goto(same_origin.form_url())
    widget = Widget(page)
    widget.type(first_query)
    wait_until(page, lambda: len(held) == 1)
    widget.type(later_query[len(first_query) :])
    later_answer = widget.wait_for_options()
    expect(widget.status).to_contain_text("found")
    assert later_answer != first_answer, "the test needs two different answers"

    release(held[0])
    page.wait_for_timeout(1500)  # long enough for the old answer to land and be announced
    assert widget.labels() == later_answer
    expect(widget.combobox).to_have_value(later_query)


def suggestion_labels(api: str, query: str) -> list[str]:
    """What the service suggests for this text, asked directly."""
    answer = httpx.get(f"{api}/v1/addresses/autocomplete", params={"q": query, "limit": 10})
    answer.raise_for_status()
    return [result["address"] for result in answer.json()["results"]]


def release(route: Route) -> None:
    """Let the held request through with the service's real (now old) answer; the widget
    has usually aborted it already, and then there is nothing to deliver."""
    with contextlib.suppress(PlaywrightError):
        route.fulfill(response=route.fetch())


def test_a_value_set_without_key_events_is_searched_too(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    """Speech tools such as Dragon may set the field's value without any input event."""
    house = plain_house(loaded_area.url)
    page.goto(same_origin.form_url())
    widget = Widget(page)
    widget.combobox.focus()
    widget.combobox.evaluate("(box, text) => { box.value = text; }", house["postcode"])
    widget.wait_for_options()
    assert house["uprn"] in widget.uprns()
