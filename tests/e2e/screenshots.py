"""Screenshots of each state of the widget for the README, taken with Debian's headless
Chromium on the demo's report form of a running service:

    scripts/demo.sh &   # or any running service with parishes loaded
    .venv/bin/python -m tests.e2e.screenshots --api http://127.0.0.1:8000 \\
        --address "12 hihg stret" --postcode "FX1 1AA" --out docs/widget
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.widget_page import Widget

Step = Callable[[Widget], None]


def steps(address: str, postcode: str) -> dict[str, Step]:
    """Each state's name (the file name) and how to reach it from an empty form."""

    def suggestions(widget: Widget) -> None:
        widget.type(address)
        widget.wait_for_options()
        widget.combobox.press("ArrowDown")

    def postcode_list(widget: Widget) -> None:
        widget.type(postcode)
        widget.wait_for_options()
        widget.combobox.press("ArrowDown")

    def chosen(widget: Widget) -> None:
        suggestions(widget)
        widget.combobox.press("Enter")
        widget.wait_for_choice()

    def manual(widget: Widget) -> None:
        widget.type("Flat 3, 99 New Build Road, Granmoor")
        widget.manual_link().click()

    def failure(widget: Widget) -> None:
        widget.page.route("**/v1/addresses/**", lambda route: route.fulfill(status=429, json={}))
        widget.type(address)
        expect(widget.message).to_be_visible()

    return {
        "1-search": lambda widget: None,
        "2-suggestions": suggestions,
        "3-postcode-list": postcode_list,
        "4-chosen": chosen,
        "5-manual-entry": manual,
        "6-service-busy": failure,
    }


def shoot(page: Page, api: str, name: str, step: Step, out: Path) -> None:
    page.goto(f"{api}/demo/report-speeding")
    step(Widget(page))
    page.wait_for_timeout(600)  # let the live region and list settle
    page.locator("fieldset").first.screenshot(path=str(out / f"{name}.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", required=True, help="the running service's base URL")
    parser.add_argument("--address", required=True, help="a misspelt address to type")
    parser.add_argument("--postcode", required=True, help="a postcode with flats")
    parser.add_argument("--out", type=Path, default=Path("docs/widget"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, step in steps(args.address, args.postcode).items():
            context = browser.new_context(viewport={"width": 560, "height": 900})
            context.add_init_script(
                script="window.__chosen = []; document.addEventListener("
                "'address-lookup:chosen', e => window.__chosen.push(e.detail));"
            )
            shoot(context.new_page(), args.api, name, step, args.out)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
