"""The HTTP server's guard against slow clients, and the options uvicorn runs with.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but gives a client
all the time it likes to send a request's headers, so a thousand clients trickling a byte
every few seconds hold a thousand connections (a "slowloris"). The guarded protocols here are
uvicorn's own with one more timer: from the moment a connection opens, or a response ends,
the next request's headers must be complete within ``header_timeout_s``, or the connection is
closed. Each also bounds the request line and headers to ``max_header_bytes`` (a 400 above
it). ``GuardedHttpToolsProtocol`` (uvicorn's C parser, the one ``serve`` runs) and
``GuardedH11Protocol`` (the pure-Python one) behave alike; benchmarks/http_server_cost.py
measures what each costs. The body's size and read time are bounded by the app
(``service.api.sizes``, ``service.api.limits``)."""

from __future__ import annotations

import asyncio
import logging
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.settings import ServerSettings

log = logging.getLogger("address_lookup.limits")


@cache
def _server_settings() -> ServerSettings:
    """Read once per process: uvicorn builds a protocol per connection from its own config."""
    return ServerSettings()


class HeaderDeadline:
    """The timer both guarded protocols share: armed when a connection opens or a response
    ends, disarmed when a request's headers are complete, closing the connection if it fires
    first. A protocol says whether it still awaits headers (``awaiting_headers``)."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    _header_timer: asyncio.TimerHandle | None = None

    def awaiting_headers(self) -> bool:
        raise NotImplementedError

    def arm_header_timer(self) -> None:
        self.disarm_header_timer()
        deadline = _server_settings().header_timeout_s
        self._header_timer = self.loop.call_later(deadline, self._headers_too_slow)

    def disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.awaiting_headers() and not self.transport.is_closing():
            log.info("closed a connection whose request headers were too slow")
            self.transport.close()


class GuardedH11Protocol(HeaderDeadline, H11Protocol):
    """h11 with a deadline for each request's headers (h11 bounds their size itself, from
    ``h11_max_incomplete_event_size``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self.awaiting_headers():  # a whole request head has arrived
            self.disarm_header_timer()

    def awaiting_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm_header_timer()
        super().connection_lost(exc)


class HeadersTooLargeError(Exception):
    """Raised from a parser callback: httptools then stops and uvicorn answers 400."""


class GuardedHttpToolsProtocol(HeaderDeadline, HttpToolsProtocol):
    """httptools with a deadline for each request's headers and a bound on their size."""

    _head_bytes = 0
    _in_head = True

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_header_timer()

    def awaiting_headers(self) -> bool:
        return self._in_head

    def on_message_begin(self) -> None:
        self._in_head, self._head_bytes = True, 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head_bytes(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head_bytes(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def _count_head_bytes(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > _server_settings().max_header_bytes:
            raise HeadersTooLargeError

    def on_headers_complete(self) -> None:
        self._in_head = False
        self.disarm_header_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        pipelined = bool(self.pipeline)  # a parsed request starts now: its head is in
        super().on_response_complete()
        if not pipelined and not self.transport.is_closing():
            self._in_head = True
            self.arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm_header_timer()
        super().connection_lost(exc)


PROTOCOLS = {
    "httptools": "service.api.slowclients:GuardedHttpToolsProtocol",
    "h11": "service.api.slowclients:GuardedH11Protocol",
}


def uvicorn_options(settings: ServerSettings, protocol: str = "httptools") -> dict[str, Any]:
    """The server options that bound what a client can hold: header size and time, idle
    keep-alive; no Server header (it names the software and its version)."""
    return {
        "http": PROTOCOLS[protocol],
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": settings.keep_alive_s,
        "server_header": False,
    }
