"""The widget as a person meets it: a search box, its suggestions, its messages and the form
fields it fills, found by role and name the way assistive technology finds them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.area_data import misspelt

AXE_BLOCKING = ("serious", "critical")


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.combobox = page.get_by_role("combobox")
        self.listbox = page.get_by_role("listbox")
        self.options = page.get_by_role("option")
        self.status = page.locator(".address-lookup__status")
        self.message = page.locator(".address-lookup__message")

    def type(self, text: str) -> None:
        """Type as a person does, a key at a time."""
        self.combobox.press_sequentially(text, delay=15)

    def wait_for_options(self) -> list[str]:
        """The suggestions, once some are shown."""
        expect(self.listbox).to_be_visible()
        expect(self.options.first).to_be_visible()
        return self.labels()

    def labels(self) -> list[str]:
        return [text.strip() for text in self.options.all_text_contents()]

    def uprns(self) -> list[int]:
        return [
            int(uprn or 0)
            for uprn in self.options.evaluate_all(
                "options => options.map(o => o.getAttribute('data-uprn'))"
            )
        ]

    def choose_by_keyboard(self, uprn: int) -> None:
        """Arrow down to the suggestion for this UPRN, then press Enter."""
        position = self.uprns().index(uprn)
        for _ in range(position + 1):
            self.combobox.press("ArrowDown")
        active = self.combobox.get_attribute("aria-activedescendant")
        assert active and self.page.locator(f"#{active}").get_attribute("data-uprn") == str(uprn)
        self.combobox.press("Enter")

    def choose_misspelt(self, house: dict[str, Any]) -> dict[str, Any]:
        """Type a house's address as a hurried resident does and choose it by keyboard; the
        ``address-lookup:chosen`` event's detail."""
        self.type(misspelt(house))
        self.wait_for_options()
        self.choose_by_keyboard(house["uprn"])
        return self.wait_for_choice()

    def field(self, name: str) -> Locator:
        return self.page.locator(f'[name="{name}"]')

    def value(self, name: str) -> str:
        return self.field(name).input_value()

    def wait_for_choice(self) -> dict[str, Any]:
        """The detail of the ``address-lookup:chosen`` event, once it has fired."""
        wait_until(self.page, lambda: self.page.evaluate("window.__chosen.length") > 0)
        detail: dict[str, Any] = self.page.evaluate("window.__chosen[window.__chosen.length - 1]")
        return detail

    def manual_link(self) -> Locator:
        return self.page.locator(".address-lookup__manual")


def wait_until(page: Page, condition: Callable[[], bool], *, timeout_ms: int = 10_000) -> None:
    """Poll from Python, letting playwright deliver events (route handlers) meanwhile.
    (playwright's own wait_for_function evaluates a string, which a strict page forbids.)"""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("condition not met in time")


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in AXE_BLOCKING
    ]
