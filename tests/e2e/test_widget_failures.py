"""When things go wrong: the resident cannot find the address, the service refuses, fails or
is slow, the API answers with markup, the host page's own scripts throw. The widget stays calm
and manual entry keeps working."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.area_data import misspelt, plain_house
from tests.e2e.conftest import LoadedArea
from tests.e2e.host import Host
from tests.e2e.widget_page import Widget

MANUAL_FIELDS = ("address_line_1", "address_line_2", "address_line_3", "town", "postcode")


def test_cant_find_opens_the_plain_fields_prefilled_from_what_was_typed(
    page: Page, same_origin: Host
) -> None:
    page.goto(same_origin.form_url())
    widget = Widget(page)
    for name in MANUAL_FIELDS:
        expect(widget.field(name)).to_be_hidden()
    widget.type("Flat 3, 99 Nowhere Road, Little Wibble fx9 9zz")
    expect(widget.message).to_contain_text("No addresses found")
    widget.manual_link().click()

    expect(widget.field("address_line_1")).to_be_focused()
    assert widget.value("address_line_1") == "Flat 3"
    assert widget.value("address_line_2") == "99 Nowhere Road"
    assert widget.value("town") == "Little Wibble"
    assert widget.value("postcode") == "FX9 9ZZ"
    assert widget.value("uprn") == ""
    expect(widget.combobox).to_have_value("Flat 3, 99 Nowhere Road, Little Wibble fx9 9zz")
    expect(widget.status).to_have_text("Enter the address in the fields below.")


def test_editing_a_chosen_address_clears_its_uprn_and_areas(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    house = plain_house(loaded_area.url)
    page.goto(same_origin.form_url(areas="parish"))
    widget = Widget(page)
    widget.choose_misspelt(house)
    assert widget.value("uprn") == str(house["uprn"])
    assert widget.value("parish_code")

    widget.field("address_line_1").fill("Flat B, " + widget.value("address_line_1"))
    assert widget.value("uprn") == ""
    assert widget.value("parish_code") == ""


def refuse(status: int) -> object:
    body = json.dumps({"error": {"status": status, "code": "refused", "message": "no"}})

    def handler(route: Route) -> None:
        route.fulfill(status=status, body=body, content_type="application/json")

    return handler


def hold(route: Route) -> None:
    """Never answer: the service is too slow."""


@pytest.mark.parametrize(
    ("handler", "timeout", "message"),
    [
        (refuse(401), "", "not available on this page"),
        (refuse(403), "", "not available on this page"),
        (refuse(429), "", "busy"),
        (refuse(500), "", "not working at the moment"),
        (lambda route: route.abort("connectionrefused"), "", "not working at the moment"),
        (hold, "1500", "taking too long"),
    ],
    ids=["401", "403", "429", "500", "network-error", "slow"],
)
def test_failures_show_one_calm_message_and_manual_entry_still_works(
    page: Page, same_origin: Host, handler: object, timeout: str, message: str
) -> None:
    page.route("**/v1/addresses/autocomplete*", handler)  # type: ignore[arg-type]
    page.goto(same_origin.form_url(**({"timeout": timeout} if timeout else {})))
    widget = Widget(page)
    widget.type("12 high street")

    expect(widget.message).to_contain_text(message)
    expect(widget.message).to_have_count(1)
    expect(widget.status).to_contain_text(message)
    expect(widget.listbox).to_be_hidden()
    expect(widget.combobox).to_have_value("12 high street")
    widget.manual_link().click()
    expect(widget.field("address_line_1")).to_have_value("12 high street")
    widget.field("town").fill("Granmoor")
    expect(widget.field("town")).to_have_value("Granmoor")


def test_text_from_the_api_is_shown_as_text_never_as_markup(page: Page, same_origin: Host) -> None:
    hostile = '<img src="x" onerror="window.__pwned = 1">12 <b>High</b> Street'
    answer = {"results": [{"uprn": 1, "address": hostile, "postcode": "FX1 1AA"}]}
    page.route(
        "**/v1/addresses/autocomplete*",
        lambda route: route.fulfill(json=answer),
    )
    page.goto(same_origin.form_url())
    widget = Widget(page)
    widget.type("12 high")
    assert widget.wait_for_options() == [hostile]
    expect(widget.listbox.locator("img, b")).to_have_count(0)
    assert page.evaluate("window.__pwned === undefined")


def test_the_widget_works_beside_a_host_page_whose_scripts_throw(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    host_errors: list[str] = []
    page.on("pageerror", lambda error: host_errors.append(str(error)))
    house = plain_house(loaded_area.url, nth=90)
    page.goto(same_origin.form_url(areas="parish"))
    page.get_by_role("heading").click()  # the host page's click handler throws
    widget = Widget(page)
    widget.combobox.click()
    widget.type(misspelt(house))
    widget.wait_for_options()
    widget.options.filter(has_text=house["thoroughfare"]).first.click()
    widget.wait_for_choice()

    assert widget.value("uprn") != ""
    assert any("hostPageSetUp" in error for error in host_errors), host_errors
    assert any("when the page is ready" in error for error in host_errors), host_errors
    assert any("on a click" in error for error in host_errors), host_errors


def test_fields_with_other_names_are_filled_when_named_by_data_attributes(
    page: Page, same_origin: Host, loaded_area: LoadedArea
) -> None:
    """data-field-NAME points the widget at the form's own field, here outside the container."""
    house = plain_house(loaded_area.url, nth=60)
    renamed = {"field-uprn": "property_reference", "field-parish-code": "council_parish"}
    page.goto(same_origin.form_url(areas="parish", **renamed))
    widget = Widget(page)
    widget.choose_misspelt(house)
    assert widget.value("property_reference") == str(house["uprn"])
    assert widget.value("council_parish").startswith("E04")
    assert widget.value("uprn") == ""
    assert widget.value("parish_code") == ""
