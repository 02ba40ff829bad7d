"""Browser tests: Debian's Chromium (never a downloaded browser) driven by playwright, over the
real service on a real uvicorn server and a generated area loaded with the real CLI.

Where the page comes from is a fixture: ``same_origin`` serves the council's page from the
service itself, ``second_origin_host`` (tests/e2e/host.py) from another local origin. Every
page records its Content-Security-Policy violations, its ``address-lookup:chosen`` events and
its script errors; a test fails if the widget breaks the policy or throws."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.e2e.host import Host, same_origin_host
from tests.support.loading import generated_database, load_generated_contacts
from tests.support.pg import ThrowawayDatabases
from tests.support.server import live_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
window.__chosen = [];
document.addEventListener('address-lookup:chosen', function (event) {
  window.__chosen.push(event.detail);
});
"""
HOST_PAGE_BUGS = ("host page bug", "hostPageSetUp")


@dataclass(frozen=True)
class LoadedArea:
    """The test area: its database and the generated supply it was loaded from."""

    url: str
    supply: Path

    def contacts(self) -> list[dict[str, str]]:
        with (self.supply / "contacts.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def loaded_area(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadedArea]:
    """3,000 generated addresses with parishes, wards and the parishes' contacts."""
    supply = tmp_path_factory.mktemp("widget") / "supply"
    areas = ("parish", "ward")
    with generated_database(databases, supply, addresses=3000, seed=11, areas=areas) as url:
        load_generated_contacts(url, supply)
        yield LoadedArea(url, supply)


def service_settings(database_url: str, *, require_keys: bool = False) -> Settings:
    """The service's settings for these tests. Issue 11 makes keys required by default; the
    same-origin tests run with keys off (its ADDRESS_LOOKUP_REQUIRE_KEYS switch), and the
    cross-origin test starts its own service with them on."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ADDRESS_LOOKUP_REQUIRE_KEYS", str(require_keys).lower())
        env.delenv("ADDRESS_LOOKUP_DEMO_KEY", raising=False)
        return Settings(db=DatabaseSettings(DATABASE_URL=database_url))


@pytest.fixture(scope="session")
def api(loaded_area: LoadedArea) -> Iterator[str]:
    """The service's base URL; it also serves the test council page under /e2e-host/."""
    app = create_app(service_settings(loaded_area.url))
    app.add_route("/e2e-host/{path:path}", same_origin_host)
    with live_server(app) as base:
        yield base


@pytest.fixture(scope="session")
def same_origin(api: str) -> Host:
    """The council's page on the service's own origin."""
    return Host(f"{api}/e2e-host")


@pytest.fixture(scope="module")
def browser(api: str) -> Iterator[Browser]:
    """Chromium for one test module. It needs ``api`` first: playwright's sync API holds the
    thread's event loop while it runs, so everything that uses asyncio must be set up before
    (and the browser closed before other modules' async tests)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page; afterwards, no policy violation and no error from anything but the host
    page's own deliberate bugs."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(script=RECORDER)
    yield page
    violations = page.evaluate("window.__cspViolations || []")
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"
    widget_errors = [e for e in errors if not any(bug in e for bug in HOST_PAGE_BUGS)]
    assert widget_errors == [], f"script errors: {widget_errors}"
