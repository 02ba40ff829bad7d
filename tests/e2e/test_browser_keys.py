"""A council's page on another origin calls the service from real Chromium (Debian's, driven by
playwright) with its browser key: it gets answers; with another council's key, or from an
origin no key names, it does not."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from service.main import create_app
from service.settings import DatabaseSettings, Settings, TenancySettings
from tests.support.keys import IPSWICH, MID_SUFFOLK, issue_key, small_keyed_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import free_port, live_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

PAGE = """<!doctype html><title>Report speeding</title>
<script>
async function lookup(api, key, how) {
  const url = new URL(api + "/v1/postcodes/FX1%201AA");
  const init = {};
  if (how === "query") url.searchParams.set("key", key);
  else init.headers = {"X-API-Key": key};
  const response = await fetch(url, init);
  return {status: response.status, body: await response.json(),
          requestId: response.headers.get("X-Request-ID"),
          remaining: response.headers.get("RateLimit-Remaining")};
}
async function tryLookup(api, key, how) {
  try { return await lookup(api, key, how); } catch (error) { return {failed: String(error)}; }
}
</script>"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def page_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A tiny static server for the council's page: a second origin beside the service."""
    folder = tmp_path_factory.mktemp("pages")
    (folder / "form.html").write_text(PAGE)
    server = ThreadingHTTPServer(
        ("127.0.0.1", free_port()), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def setup(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory, page_port: int
) -> Iterator[dict[str, str]]:
    """The service (keys required) and the keys: Mid Suffolk's for the page's origin
    (http://localhost:PORT), Ipswich's for its own site."""
    with small_keyed_database(databases, tmp_path_factory.mktemp("keys")) as url:
        page_origin = f"http://localhost:{page_port}"
        keys = {
            "ours": issue_key(url, MID_SUFFOLK, "browser", "--origin", page_origin),
            "theirs": issue_key(url, IPSWICH, "browser", "--origin", "https://ipswich.example"),
        }
        settings = Settings(
            db=DatabaseSettings(DATABASE_URL=url), tenancy=TenancySettings(require_keys=True)
        )
        with live_server(create_app(settings)) as api:
            yield {"api": api, "page": f"{page_origin}/form.html", **keys}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def call(page: Page, setup: dict[str, str], key: str, how: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        "([api, key, how]) => tryLookup(api, key, how)", [setup["api"], key, how]
    )
    return result


@pytest.mark.parametrize("how", ["query", "header"])
def test_the_page_gets_answers_with_its_browser_key(
    page: Page, setup: dict[str, str], how: str
) -> None:
    page.goto(setup["page"])
    result = call(page, setup, setup["ours"], how)
    assert result["status"] == 200, result
    assert [a["uprn"] for a in result["body"]["addresses"]] == [1, 2, 3]
    assert result["requestId"] and int(result["remaining"]) > 0, "exposed headers are readable"


def test_the_same_page_with_another_councils_key_is_refused(
    page: Page, setup: dict[str, str]
) -> None:
    page.goto(setup["page"])
    result = call(page, setup, setup["theirs"], "query")
    assert result["status"] == 403, result
    assert result["body"]["error"]["code"] == "origin_not_allowed"


def test_a_page_at_an_origin_no_key_names_cannot_read_answers(
    page: Page, setup: dict[str, str]
) -> None:
    # the same page under another name (127.0.0.1 rather than localhost): another origin
    page.goto(setup["page"].replace("localhost", "127.0.0.1"))
    for how in ("query", "header"):
        result = call(page, setup, setup["ours"], how)
        assert "failed" in result, result  # CORS: the browser withholds the answer
