"""The slow-client guard, with each HTTP parser the service can run (httptools, which `serve`
runs, and h11), over real sockets: headers trickled too slowly are cut off, headers over the
size bound get a 400 and the connection closed, a body trickled too slowly gets a 408 in the
one error body, and ordinary keep-alive and pipelined requests are not disturbed."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from service.api import slowclients
from service.main import create_app
from service.settings import DatabaseSettings, Settings
from tests.support.server import KEYS_OPTIONAL, live_server
from tests.support.sockets import read_until_closed, trickle

MAX_HEADER_BYTES = 4096


@pytest.fixture(scope="module", params=["httptools", "h11"])
def port(request: pytest.FixtureRequest, loaded_url: str) -> Iterator[int]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ADDRESS_LOOKUP_HEADER_TIMEOUT_S", "1")
        env.setenv("ADDRESS_LOOKUP_BODY_TIMEOUT_S", "1")
        env.setenv("ADDRESS_LOOKUP_MAX_HEADER_BYTES", str(MAX_HEADER_BYTES))
        slowclients._server_settings.cache_clear()  # read once per process: read these
        settings = Settings(db=DatabaseSettings(DATABASE_URL=loaded_url), tenancy=KEYS_OPTIONAL)
        with live_server(create_app(settings), protocol=request.param) as base:
            yield int(base.rsplit(":", 1)[1])
    slowclients._server_settings.cache_clear()


def test_headers_trickled_too_slowly_are_cut_off(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        # a byte every half second is not enough
        trickle(sock, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", extra_bytes=3, every_s=0.5)
        received, closed = read_until_closed(sock, 3)
        assert closed and received == b""


def test_a_silent_connection_is_cut_off(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        assert read_until_closed(sock, 3) == (b"", True)


# httptools only: h11 bounds a head only while it is incomplete (one that arrives whole in a
# read passes), one reason `serve` runs httptools.
@pytest.mark.parametrize("port", ["httptools"], indirect=True)
def test_headers_over_the_bound_are_a_400(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        padding = b"x" * MAX_HEADER_BYTES
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + padding + b"\r\n\r\n")
        received, closed = read_until_closed(sock, 3)
        assert received.startswith(b"HTTP/1.1 400 ")
        assert closed


def test_keep_alive_and_pipelined_requests_are_answered(port: int) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"y" * 3000 + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(request)
        time.sleep(0.7)  # most of the header deadline, on an open keep-alive connection
        sock.sendall(request * 3)  # three at once: the guard must not cut the queued ones
        time.sleep(0.7)  # past the deadline counted from the connection's start
        sock.sendall(request)
        received, _ = read_until_closed(sock, 1.5)
        assert received.count(b"HTTP/1.1 200 OK") == 5


def test_a_body_trickled_too_slowly_is_a_408(port: int) -> None:
    head = b"POST /v1/postcodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head + b"Content-Length: 1000\r\n\r\n" + b'{"postcodes": [')
        started = time.monotonic()
        received, closed = read_until_closed(sock, 5)
    assert received.startswith(b"HTTP/1.1 408 "), received[:200]
    assert b'{"error":{"status":408,' in received, "the one error body"
    assert closed and time.monotonic() - started < 4
