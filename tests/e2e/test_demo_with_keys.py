"""The demo as ``address-lookup demo`` runs it: keys required, and the report form giving the
widget the browser key made for the service's own origins. The widget's calls are same-origin
GETs, which Chromium sends with a Referer and no Origin: the Referer rule lets them through."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import pytest
from playwright.sync_api import Page

from loaders.cli.demo_keys import demo_origins, make_demo_keys
from service.main import create_app
from tests.e2e.area_data import plain_house
from tests.e2e.conftest import LoadedArea, service_settings
from tests.e2e.widget_page import Widget
from tests.support.server import live_server


async def demo_browser_key(url: str, port: int) -> str:
    conn = await asyncpg.connect(url)
    try:
        return (await make_demo_keys(conn, demo_origins("127.0.0.1", port))).browser
    finally:
        await conn.close()


@pytest.fixture
def demo_api(loaded_area: LoadedArea) -> Iterator[str]:
    settings = service_settings(loaded_area.url, require_keys=True)
    with live_server(create_app(settings)) as base:
        port = int(base.rsplit(":", 1)[1])
        # what `demo` passes in ADDRESS_LOOKUP_DEMO_KEY, made once the port is known (in a
        # thread of its own: playwright's sync API keeps an event loop in this one)
        with ThreadPoolExecutor(1) as thread:
            made = thread.submit(asyncio.run, demo_browser_key(loaded_area.url, port))
            settings.widget.demo_key = made.result()
        yield base


def test_the_demo_form_finds_addresses_with_keys_required(
    page: Page, demo_api: str, loaded_area: LoadedArea
) -> None:
    house = plain_house(loaded_area.url)
    page.goto(f"{demo_api}/demo/report-speeding")
    widget = Widget(page)
    widget.choose_misspelt(house)
    assert widget.value("uprn") == str(house["uprn"])
    assert widget.value("parish_code") != ""
