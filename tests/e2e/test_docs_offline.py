"""/docs and /redoc on a network without the public CDN: the browser may reach the service and
nothing else (every other request is aborted and recorded), and still Swagger UI lists every
operation of the OpenAPI document and ReDoc renders them all, with no request leaving the
service and no script error."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.conftest import RECORDER

# ReDoc's sidebar always shows Redocly's logo from their CDN: the bundle hard-codes the image
# and no option turns it off. The docs page's Content-Security-Policy (img-src 'self' data:)
# blocks it inside the browser, so no request leaves, and ReDoc hides the image when it fails.
REDOCLY_LOGO = "img-src https://cdn.redoc.ly/redoc/logo-mini.svg"


@dataclass
class OfflinePage:
    """A page that may reach only the service, and what it tried beyond that."""

    page: Page
    elsewhere: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))


@pytest.fixture
def offline(browser: Browser, api: str) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    offline = OfflinePage(context.new_page())
    offline.page.add_init_script(script=RECORDER)
    offline.page.on("pageerror", lambda error: offline.errors.append(str(error)))

    def only_the_service(route: Route) -> None:
        if route.request.url.startswith(f"{api}/"):
            route.continue_()
        else:
            offline.elsewhere.append(route.request.url)
            route.abort()

    offline.page.route("**/*", only_the_service)
    yield offline
    context.close()
    assert offline.elsewhere == [], f"requests that left the service: {offline.elsewhere}"
    assert offline.errors == [], f"script errors: {offline.errors}"


def _summaries(api: str) -> list[str]:
    spec = httpx.get(f"{api}/openapi.json").json()
    return sorted(
        operation["summary"] for methods in spec["paths"].values() for operation in methods.values()
    )


def test_swagger_ui_lists_every_operation_offline(offline: OfflinePage, api: str) -> None:
    summaries = _summaries(api)
    assert len(summaries) >= 19
    offline.page.goto(f"{api}/docs")
    described = offline.page.locator(".opblock .opblock-summary-description")
    expect(described).to_have_count(len(summaries))
    assert sorted(described.all_inner_texts()) == summaries
    assert offline.violations() == []


def test_redoc_renders_every_operation_offline(offline: OfflinePage, api: str) -> None:
    summaries = _summaries(api)
    offline.page.goto(f"{api}/redoc")
    headings = offline.page.locator(".api-content h2")
    for summary in summaries:
        expect(headings.get_by_text(summary, exact=True).first).to_be_visible()
    assert set(offline.violations()) <= {REDOCLY_LOGO}
