"""Limits over real HTTP: the body cap, each match item's length, the time budget (and that the
work stops), slow headers and keep-alive under `address-lookup serve`, and metrics."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from service.main import create_app
from service.settings import DatabaseSettings, ServerSettings, Settings
from tests.support.cli import COMMAND
from tests.support.server import KEYS_OPTIONAL, free_port, http_status, live_server, wait_until
from tests.support.sockets import read_until_closed, trickle


def test_a_body_over_the_cap_is_413_in_the_one_shape(api: httpx.Client) -> None:
    huge = b'{"addresses": ["' + b"x" * 50_000_000 + b'"]}'
    started = time.monotonic()
    response = api.post(
        "/v1/addresses/match", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert time.monotonic() - started < 10


def test_the_largest_legitimate_match_request_fits(api: httpx.Client) -> None:
    addresses = ["\u00e9" * 200] * 100  # the worst case: every character a \\u escape
    response = api.post("/v1/addresses/match", json={"addresses": addresses})
    assert response.status_code == 200, response.text[:200]


def test_a_match_item_over_200_characters_is_refused(api: httpx.Client) -> None:
    response = api.post("/v1/addresses/match", json={"addresses": ["1 high street", "x" * 201]})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "addresses.1"


@pytest.fixture
def hurried(loaded_url: str) -> Iterator[str]:
    settings = Settings(
        db=DatabaseSettings(DATABASE_URL=loaded_url),
        server=ServerSettings(request_timeout_s=0.02),  # far less than 100 searches take
        tenancy=KEYS_OPTIONAL,
    )
    with live_server(create_app(settings)) as url:
        yield url


def test_a_request_over_its_budget_is_503_and_its_work_stops(hurried: str, loaded_url: str) -> None:
    texts = [f"{n} high stret little fxford fx1" for n in range(1, 101)]
    response = httpx.post(f"{hurried}/v1/addresses/match", json={"addresses": texts}, timeout=30)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "time_budget_exceeded"
    assert "retry-after" in response.headers
    # The cancelled statement may take a moment to end on a busy machine; after that, work
    # that went on would keep starting the remaining searches' statements.
    wait_until(lambda: asyncio.run(_running_statements(loaded_url)) == 0, timeout=5)
    seen = [asyncio.run(_running_statements(loaded_url)) for _ in range(20)]
    assert seen == [0] * 20, "no statement started after the budget ran out"


async def _running_statements(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'address-lookup' "
                "AND state = 'active'"
            )
        )
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def served(loaded_url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": loaded_url,
        "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
        "ADDRESS_LOOKUP_HEADER_TIMEOUT_S": "1",
        "ADDRESS_LOOKUP_KEEP_ALIVE_S": "1",
    }
    server = subprocess.Popen(
        [COMMAND, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: http_status(f"{base}/readyz") == 200)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_client_trickling_its_headers_is_cut_off(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        # a byte every half second is not enough
        trickle(sock, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", extra_bytes=3, every_s=0.5)
        assert read_until_closed(sock, 3) == (b"", True)


def test_an_idle_keep_alive_connection_is_closed(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        received, closed = read_until_closed(sock, 4)
        assert received.startswith(b"HTTP/1.1 200 ") and closed


def test_serve_names_no_server_and_counts_requests_of_every_worker(served: str) -> None:
    for _ in range(20):
        response = httpx.get(f"{served}/v1/postcodes", params={"q": "FX1"})
        assert response.status_code == 200
        assert "server" not in response.headers
    page = httpx.get(f"{served}/metrics").text
    line = next(
        line
        for line in page.splitlines()
        if line.startswith("address_lookup_requests_total{")
        and 'route="/v1/postcodes"' in line
        and 'status="200"' in line
    )
    assert float(line.rsplit(" ", 1)[1]) >= 20, "requests summed over both workers"
    assert "address_lookup_request_duration_seconds_bucket{" in page
    assert 'address_lookup_db_pool_connections{state="idle"}' in page
    assert "address_lookup_data_version " in page
    assert "address_lookup_data_age_seconds " in page
    assert 'address_lookup_loads{outcome="live"}' in page
