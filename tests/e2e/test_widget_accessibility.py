"""Accessibility in a real browser: an axe-core scan of every state of the widget (no serious
or critical finding), a 320 px wide screen (as at 400 % zoom), visible focus, Welsh."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.area_data import building_with_flats_2_and_10, misspelt, plain_house
from tests.e2e.conftest import LoadedArea
from tests.e2e.host import Host
from tests.e2e.widget_page import Widget, blocking_violations


def typeahead_open(widget: Widget, area: LoadedArea) -> None:
    widget.type(misspelt(plain_house(area.url)))
    widget.wait_for_options()
    widget.combobox.press("ArrowDown")


def postcode_list_open(widget: Widget, area: LoadedArea) -> None:
    widget.type(building_with_flats_2_and_10(area.url)["postcode"])
    widget.wait_for_options()
    widget.combobox.press("ArrowDown")


def address_chosen(widget: Widget, area: LoadedArea) -> None:
    widget.choose_misspelt(plain_house(area.url))


def nothing_found(widget: Widget, area: LoadedArea) -> None:
    widget.type("zzqx nowhere at all")
    expect(widget.message).to_be_visible()


def manual_entry(widget: Widget, area: LoadedArea) -> None:
    widget.type("1 Unlisted Lane, Newbuild")
    widget.manual_link().click()
    expect(widget.field("address_line_1")).to_be_focused()


def service_refuses(widget: Widget, area: LoadedArea) -> None:
    widget.page.route("**/v1/addresses/**", lambda route: route.fulfill(status=429, json={}))
    widget.type("12 high street")
    expect(widget.message).to_be_visible()


STATES: dict[str, Callable[[Widget, LoadedArea], None]] = {
    "typeahead list": typeahead_open,
    "postcode list with groups": postcode_list_open,
    "address chosen": address_chosen,
    "nothing found": nothing_found,
    "manual entry": manual_entry,
    "service refuses": service_refuses,
}


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("state", list(STATES))
def test_no_serious_or_critical_axe_findings_in_any_state(
    page: Page, same_origin: Host, loaded_area: LoadedArea, state: str, lang: str
) -> None:
    page.goto(same_origin.form_url(areas="parish", lang=lang))
    widget = Widget(page)
    assert blocking_violations(page) == [], "on arrival"
    STATES[state](widget, loaded_area)
    assert blocking_violations(page) == [], state


def test_usable_on_a_320_pixel_screen_as_at_400_percent_zoom(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(same_origin.form_url())
    widget = Widget(page)
    postcode_list_open(widget, loaded_area)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    option = widget.options.first
    box = option.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    expect(option).to_be_in_viewport()
    widget.combobox.press("ArrowDown")
    expect(widget.options.nth(1)).to_be_in_viewport()
    expect(widget.manual_link()).to_be_visible()


def test_focus_is_visible_on_the_box_and_the_highlighted_suggestion(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    page.goto(same_origin.form_url())
    widget = Widget(page)
    widget.combobox.focus()
    assert outline_width(widget.combobox.evaluate("e => getComputedStyle(e).outlineWidth")) >= 3
    typeahead_open(widget, loaded_area)
    active = page.locator(".address-lookup__option--active")
    expect(active).to_have_count(1)
    style = active.evaluate("e => [getComputedStyle(e).outlineWidth, getComputedStyle(e).color]")
    assert outline_width(style[0]) >= 3
    assert style[1] == "rgb(255, 255, 255)"  # white on GOV.UK blue


def outline_width(css: str) -> float:
    return float(css.removesuffix("px"))


def test_welsh_strings(page: Page, same_origin: Host, loaded_area: LoadedArea) -> None:
    page.goto(same_origin.form_url(lang="cy"))
    widget = Widget(page)
    expect(page.get_by_role("combobox", name="Chwilio am y cyfeiriad")).to_be_visible()
    expect(widget.manual_link()).to_have_text("Ni allaf ddod o hyd i'r cyfeiriad")
    house = plain_house(loaded_area.url)
    widget.type(house["postcode"])
    widget.wait_for_options()
    expect(widget.status).to_contain_text(f"cyfeiriad yn {house['postcode']}")
    widget.combobox.fill("zzqx nowhere at all")
    expect(widget.message).to_contain_text("Ni ddaethpwyd o hyd i unrhyw gyfeiriadau")


def test_theme_colours_come_from_css_custom_properties(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    page.goto(same_origin.form_url())
    page.evaluate(
        "document.querySelector('[data-address-lookup]').style"
        ".setProperty('--address-lookup-active-background', 'rgb(0, 100, 0)')"
    )
    widget = Widget(page)
    typeahead_open(widget, loaded_area)
    active = page.locator(".address-lookup__option--active")
    expect(active).to_have_css("background-color", "rgb(0, 100, 0)")
