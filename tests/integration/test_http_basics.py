"""What every response shares, over real HTTP: request ids, one error body, the access log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import orjson
import pytest
from fastapi import FastAPI, Query

from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.server import KEYS_OPTIONAL, live_server


def _app_with_a_checked_route(database_url: str) -> FastAPI:
    app = create_app(
        Settings(db=DatabaseSettings(DATABASE_URL=database_url), tenancy=KEYS_OPTIONAL)
    )

    @app.get("/probe")
    async def probe(
        lat: float = Query(ge=-90, le=90), limit: int = Query(10, ge=1)
    ) -> dict[str, float]:
        """A route with validated parameters, to exercise validation errors."""
        return {"lat": lat}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    return app


@pytest.fixture
def base_url(database_url: str) -> Iterator[str]:
    with live_server(_app_with_a_checked_route(database_url)) as url:
        yield url


def test_health_and_readiness(base_url: str) -> None:
    assert httpx.get(f"{base_url}/healthz").json() == {"status": "alive"}
    ready = httpx.get(f"{base_url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_every_response_has_a_request_id_and_server_timing(base_url: str) -> None:
    for path in ("/healthz", "/readyz", "/nowhere", "/probe?lat=999"):
        response = httpx.get(f"{base_url}{path}")
        assert len(response.headers["x-request-id"]) == 32
        assert response.headers["server-timing"].startswith("app;dur=")


def test_a_callers_request_id_is_echoed_in_header_and_error_body(base_url: str) -> None:
    response = httpx.get(f"{base_url}/nowhere", headers={"X-Request-ID": "form-123"})
    assert response.headers["x-request-id"] == "form-123"
    assert response.json()["request_id"] == "form-123"


def test_unknown_route_gets_the_json_error_body(base_url: str) -> None:
    response = httpx.get(f"{base_url}/nowhere")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "/nowhere" in error["message"]
    assert "/docs" in error["hint"]


def test_wrong_method_gets_the_json_error_body(base_url: str) -> None:
    response = httpx.delete(f"{base_url}/healthz")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_validation_errors_name_each_bad_parameter(base_url: str) -> None:
    response = httpx.get(f"{base_url}/probe", params={"lat": "91", "limit": "-1"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    fields = {detail["field"] for detail in error["details"]}
    assert fields == {"lat", "limit"}
    assert "lat" in error["message"]
    assert "less than or equal to 90" in error["message"]


def test_a_bug_is_a_500_with_the_same_body_and_no_internals(base_url: str) -> None:
    response = httpx.get(f"{base_url}/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert "a bug" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]


def test_openapi_docs_are_served(base_url: str) -> None:
    assert httpx.get(f"{base_url}/docs").status_code == 200
    spec = httpx.get(f"{base_url}/openapi.json").json()
    assert "/readyz" in spec["paths"]


def test_one_structured_access_log_line_per_request(
    base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="address_lookup.access"):
        response = httpx.get(f"{base_url}/nowhere?q=12+High+Street")
    lines = [
        orjson.loads(r.getMessage()) for r in caplog.records if r.name == "address_lookup.access"
    ]
    assert len(lines) == 1
    line = lines[0]
    assert line["status"] == 404
    assert line["route"] is None, "an unmatched path is not logged: it may hold anything"
    assert line["request_id"] == response.headers["x-request-id"]
    assert "nowhere" not in orjson.dumps(line).decode()
    assert "High" not in orjson.dumps(line).decode(), (
        "query strings (residents' input) are not logged"
    )
