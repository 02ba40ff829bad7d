"""The front door over real HTTP: keys required, origins, CORS, errors, limits, usage, the
caller handed to the rest of the service, and the service with keys optional."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from service.main import create_app
from service.settings import DatabaseSettings, Settings, TenancySettings
from tests.support.cli import run_cli
from tests.support.keys import IPSWICH, MID_SUFFOLK, issue_key, public_prefix, small_keyed_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import live_server

FORM = "https://forms.midsuffolk.gov.uk"
OTHER_FORM = "https://forms.ipswich.gov.uk"


def keyed_app(url: str, **tenancy: Any) -> FastAPI:
    settings = TenancySettings(
        **{"require_keys": True, "key_refresh_s": 1, "usage_flush_s": 0.5, **tenancy}
    )
    app = create_app(Settings(db=DatabaseSettings(DATABASE_URL=url), tenancy=settings))

    @app.get("/v1/whoami")
    async def whoami(request: Request) -> dict[str, Any] | None:
        """What the middleware tells the rest of the service about the caller."""
        caller = request.state.caller
        return dataclasses.asdict(caller) if caller else None

    return app


@pytest.fixture(scope="module")
def url(databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with small_keyed_database(databases, tmp_path_factory.mktemp("keys")) as url:
        yield url


@pytest.fixture(scope="module")
def keys(url: str) -> dict[str, str]:
    return {
        "browser": issue_key(url, MID_SUFFOLK, "browser", "--origin", FORM),
        "server": issue_key(url, MID_SUFFOLK, "server"),
        "other_browser": issue_key(url, IPSWICH, "browser", "--origin", OTHER_FORM),
    }


@pytest.fixture(scope="module")
def api(url: str, keys: dict[str, str]) -> Iterator[httpx.Client]:
    with live_server(keyed_app(url)) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def error_of(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


def test_without_a_key_the_answer_is_401_saying_how_to_send_one(api: httpx.Client) -> None:
    response = api.get("/v1/addresses/1")
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "key_required"
    assert "`key` query parameter" in error["hint"] and "X-API-Key" in error["hint"]
    assert response.json()["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize("sent", ["demo", "alsk_abcdefgh_" + "a" * 26, "alpk_abcdefgh_" + "b" * 26])
def test_an_unknown_key_is_401(api: httpx.Client, sent: str) -> None:
    response = api.get("/v1/addresses/1", params={"key": sent})
    assert response.status_code == 401 and error_of(response)["code"] == "key_invalid"


def test_a_known_public_id_with_a_wrong_secret_is_401(
    api: httpx.Client, keys: dict[str, str]
) -> None:
    forged = public_prefix(keys["server"]) + "_" + "a" * 26
    response = api.get("/v1/addresses/1", headers={"X-API-Key": forged})
    assert response.status_code == 401 and error_of(response)["code"] == "key_invalid"


def test_a_server_key_works_as_query_parameter_or_header(
    api: httpx.Client, keys: dict[str, str]
) -> None:
    by_query = api.get("/v1/addresses/1", params={"key": keys["server"]})
    by_header = api.get("/v1/postcodes/fx11aa", headers={"X-API-Key": keys["server"]})
    assert by_query.status_code == 200 and by_query.json()["uprn"] == 1
    assert by_header.status_code == 200 and len(by_header.json()["addresses"]) == 3
    assert int(by_query.headers["ratelimit-limit"]) == 600
    assert 0 < int(by_query.headers["ratelimit-remaining"]) < 600


def test_a_server_key_sent_from_a_browser_is_403(api: httpx.Client, keys: dict[str, str]) -> None:
    response = api.get("/v1/addresses/1", params={"key": keys["server"]}, headers={"Origin": FORM})
    assert response.status_code == 403
    assert error_of(response)["message"] == "server keys must not be used in a browser"


def test_a_browser_key_works_only_from_its_origins(api: httpx.Client, keys: dict[str, str]) -> None:
    key = {"key": keys["browser"]}
    allowed = api.get("/v1/addresses/1", params=key, headers={"Origin": FORM})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == FORM
    assert allowed.headers.get_list("vary") == ["Origin, X-API-Key"], "one Vary, naming both"
    exposed = allowed.headers["access-control-expose-headers"]
    for header in (
        "X-Request-ID",
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
    ):
        assert header in exposed
    # Chromium sends no Origin on a same-origin GET, but a Referer
    by_referer = api.get("/v1/addresses/1", params=key, headers={"Referer": f"{FORM}/report"})
    assert by_referer.status_code == 200
    for headers in ({"Origin": OTHER_FORM}, {"Referer": "https://evil.example/x"}, {}):
        refused = api.get("/v1/addresses/1", params=key, headers=headers)
        assert refused.status_code == 403, headers
        assert error_of(refused)["code"] == "origin_not_allowed"


def test_another_councils_page_gets_403_it_can_read(
    api: httpx.Client, keys: dict[str, str]
) -> None:
    response = api.get(
        "/v1/addresses/1", params={"key": keys["browser"]}, headers={"Origin": OTHER_FORM}
    )
    assert response.status_code == 403
    assert OTHER_FORM in error_of(response)["message"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    # its origin is registered on Ipswich's key, so its page may read the refusal
    assert response.headers["access-control-allow-origin"] == OTHER_FORM


def test_preflights_are_answered_for_registered_origins_only(api: httpx.Client) -> None:
    asked = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-api-key"}
    for origin in (FORM, OTHER_FORM):
        granted = api.options("/v1/areas", headers={"Origin": origin, **asked})
        assert granted.status_code == 204
        assert granted.headers["access-control-allow-origin"] == origin
        assert granted.headers["vary"] == "Origin"
        assert set(granted.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
        assert "X-API-Key" in granted.headers["access-control-allow-headers"]
        assert int(granted.headers["access-control-max-age"]) > 0
        assert granted.headers["x-content-type-options"] == "nosniff"
    refused = api.options("/v1/areas", headers={"Origin": "https://evil.example", **asked})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_os_places_refusals_come_in_os_places_shape(api: httpx.Client) -> None:
    response = api.get("/search/places/v1/uprn", params={"uprn": 1})
    assert response.status_code == 401
    assert response.json() == {
        "error": {"statuscode": 401, "message": "This service needs an API key."}
    }


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/docs", "/openapi.json"])
def test_health_and_documentation_need_no_key(api: httpx.Client, path: str) -> None:
    assert api.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/widget/v1/address-lookup.js", "/demo/report-speeding"])
def test_widget_files_and_demo_pages_need_no_key(api: httpx.Client, path: str) -> None:
    assert api.get(path).status_code == 200


def test_the_openapi_document_lets_docs_send_a_key(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    assert {"ApiKeyHeader", "ApiKeyQuery"} <= set(spec["components"]["securitySchemes"])
    assert spec["paths"]["/v1/addresses/{uprn}"]["get"]["security"]
    assert spec["paths"]["/healthz"]["get"]["security"] == []


def test_the_caller_and_its_home_area_reach_the_rest_of_the_service(
    api: httpx.Client, keys: dict[str, str]
) -> None:
    caller = api.get("/v1/whoami", params={"key": keys["server"]}).json()
    assert caller == {
        "council_code": MID_SUFFOLK,
        "council_name": "Mid Suffolk",
        "key_prefix": public_prefix(keys["server"]),
        "kind": "server",
        "home_custodians": [3520],
        "home_box": [600000.0, 230000.0, 630000.0, 260000.0],
    }
    theirs = api.get(
        "/v1/whoami", params={"key": keys["other_browser"]}, headers={"Origin": OTHER_FORM}
    ).json()
    assert (theirs["council_code"], theirs["home_custodians"], theirs["home_box"]) == (
        IPSWICH,
        [],
        None,
    )


def wait_for_minute_room(seconds: float = 8) -> None:
    """Start a per-minute test early enough in a minute that its window cannot roll over."""
    if 60 - time.time() % 60 < seconds:
        time.sleep(60 - time.time() % 60 + 0.5)


def test_over_its_limit_a_key_gets_429_with_retry_after(url: str, api: httpx.Client) -> None:
    key = issue_key(url, MID_SUFFOLK, "server", "--per-minute", "5")
    wait_for_minute_room()
    answers = [api.get("/v1/addresses/2", params={"key": key}) for _ in range(7)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    assert [a.headers["ratelimit-remaining"] for a in answers[:5]] == ["4", "3", "2", "1", "0"]
    limited = answers[-1]
    assert error_of(limited)["code"] == "rate_limited"
    assert 0 < int(limited.headers["retry-after"]) <= 60
    assert limited.headers["ratelimit-limit"] == "5"
    assert limited.headers["ratelimit-remaining"] == "0"
    assert limited.headers["ratelimit-reset"] == limited.headers["retry-after"]
    os_places = api.get("/search/places/v1/uprn", params={"uprn": 2, "key": key})
    assert os_places.status_code == 429 and os_places.json()["error"]["statuscode"] == 429


def poll(condition: Callable[[], bool], timeout: float = 10) -> float:
    """Seconds until ``condition`` held (fails after ``timeout``)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "condition not met in time"
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_new_key_works_at_once_and_a_revoked_one_stops(url: str, api: httpx.Client) -> None:
    key = issue_key(url, MID_SUFFOLK, "server")
    assert api.get("/v1/addresses/1", params={"key": key}).status_code == 200
    assert run_cli("keys", "revoke", public_prefix(key), env={"DATABASE_URL": url}).returncode == 0
    poll(lambda: api.get("/v1/addresses/1", params={"key": key}).status_code == 401)
    refused = api.get("/v1/addresses/1", params={"key": key})
    assert error_of(refused)["code"] == "key_revoked"
    assert public_prefix(key) in error_of(refused)["message"]


def test_a_council_reads_its_own_usage_with_its_server_key(
    api: httpx.Client, keys: dict[str, str]
) -> None:
    server = {"X-API-Key": keys["server"]}
    for _ in range(3):
        api.get("/v1/postcodes/FX1 1AA", headers=server)
    api.get(
        "/v1/addresses/search",
        params={"q": "1 high st", "key": keys["other_browser"]},
        headers={"Origin": OTHER_FORM},
    )

    def counted() -> dict[tuple[str, str], int]:
        usage = api.get("/v1/usage", headers=server).json()
        assert usage["council"] == MID_SUFFOLK
        return {
            (u["family"], u["status_class"]): u["requests"]
            for u in usage["usage"]
            if u["key"] == public_prefix(keys["server"])
        }

    poll(lambda: counted().get(("postcode", "2xx"), 0) >= 3)
    usage = api.get("/v1/usage", headers=server).json()
    seen = {u["key"] for u in usage["usage"]}
    assert public_prefix(keys["server"]) in seen
    assert public_prefix(keys["other_browser"]) not in seen, "a council sees only its own keys"
    assert usage["total"] == sum(u["requests"] for u in usage["usage"])
    browser = api.get("/v1/usage", params={"key": keys["browser"]}, headers={"Origin": FORM})
    assert browser.status_code == 403 and "server key" in error_of(browser)["message"]


@pytest.fixture(scope="module")
def open_api(url: str, keys: dict[str, str]) -> Iterator[httpx.Client]:
    app = keyed_app(url, require_keys=False, cors_origins="http://open.example:8080")
    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def test_with_keys_optional_no_key_is_needed(open_api: httpx.Client, keys: dict[str, str]) -> None:
    assert open_api.get("/v1/addresses/1").status_code == 200
    assert open_api.get("/v1/whoami").json() is None
    # a key not valid here is ignored (OS Places clients always send one)
    assert open_api.get("/v1/whoami", params={"key": "any-key"}).json() is None
    wrong_origin = open_api.get(
        "/v1/whoami",
        params={"key": keys["browser"]},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert wrong_origin.status_code == 200 and wrong_origin.json() is None
    known = open_api.get("/v1/whoami", params={"key": keys["server"]}).json()
    assert known["council_code"] == MID_SUFFOLK
    no_key = open_api.get("/v1/usage")
    assert no_key.status_code == 401 and error_of(no_key)["code"] == "key_required"


def test_with_keys_optional_cors_allows_the_configured_origins(open_api: httpx.Client) -> None:
    asked = {"Access-Control-Request-Method": "GET"}
    for origin in ("http://open.example:8080", FORM):
        assert open_api.options("/v1/areas", headers={"Origin": origin, **asked}).status_code == 204
    assert (
        open_api.options(
            "/v1/areas", headers={"Origin": "http://open.example", **asked}
        ).status_code
        == 403
    )
    answer = open_api.get("/v1/addresses/1", headers={"Origin": "http://open.example:8080"})
    assert answer.headers["access-control-allow-origin"] == "http://open.example:8080"


def test_any_origin_with_a_star(url: str) -> None:
    asked = {"Origin": "https://anyone.example", "Access-Control-Request-Method": "GET"}
    with live_server(keyed_app(url, require_keys=False, cors_origins="*")) as base:
        granted = httpx.options(f"{base}/v1/areas", headers=asked)
    assert granted.status_code == 204
    assert granted.headers["access-control-allow-origin"] == "https://anyone.example"


def test_a_browser_key_issued_since_the_last_reload_lets_its_page_read_answers(url: str) -> None:
    """The key's origins come with it on its first use, not only at the next reload."""
    with live_server(keyed_app(url, key_refresh_s=10)) as base:
        page = "https://forms.newtown.gov.uk"
        key = issue_key(url, MID_SUFFOLK, "browser", "--origin", page)
        answer = httpx.get(f"{base}/v1/addresses/1", params={"key": key}, headers={"Origin": page})
    assert answer.status_code in (200, 404)  # admitted
    assert answer.headers.get("access-control-allow-origin") == page
