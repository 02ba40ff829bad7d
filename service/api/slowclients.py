"""The HTTP server's guard against slow clients, and the options uvicorn runs with.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but gives a client
all the time it likes to send a request's headers, so a thousand clients trickling a byte
every few seconds hold a thousand connections (a "slowloris"). ``GuardedH11Protocol`` is
uvicorn's h11 protocol with one more timer: from the moment a connection opens, or a response
ends, the next request's headers must be complete within ``header_timeout_s``, or the
connection is closed. h11 (rather than httptools) also bounds the size of the request line
and headers (``h11_max_incomplete_event_size``); the body's size and read time are bounded
by the app (``service.api.sizes``, ``service.api.limits``)."""

from __future__ import annotations

import asyncio
import logging
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.settings import ServerSettings

log = logging.getLogger("address_lookup.limits")


@cache
def _header_timeout_s() -> float:
    """Read once per process: uvicorn builds a protocol per connection from its own config."""
    return ServerSettings().header_timeout_s


class GuardedH11Protocol(H11Protocol):
    """h11 with a deadline for each request's headers."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # a whole request head has arrived
            self._disarm_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(_header_timeout_s(), self._headers_too_slow)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.info("closed a connection whose request headers were too slow")
            self.transport.close()


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """The server options that bound what a client can hold: header size and time, idle
    keep-alive; no Server header (it names the software and its version)."""
    return {
        "http": "service.api.slowclients:GuardedH11Protocol",
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": settings.keep_alive_s,
        "server_header": False,
    }
