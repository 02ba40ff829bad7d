"""Request context: an X-Request-ID and a Server-Timing header on every response, and one
structured access-log line per request.

The log line names the route template (``/v1/addresses/{uprn}``), never the path itself or
its query string: paths and queries carry what residents typed, their UPRNs and postcodes,
and keys. It names the caller's council and its key's public prefix, never the key."""

from __future__ import annotations

import logging
import re
import time
import uuid
from datetime import UTC, datetime

import orjson
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import render
from service.errors import InternalError

access_log = logging.getLogger("address_lookup.access")
log = logging.getLogger("address_lookup.errors")

# A caller's own request id is kept only when it is short and plain, so logs stay safe.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def choose_request_id(incoming: str | None) -> str:
    """Keep a caller's sane X-Request-ID so traces join up; otherwise make a new one."""
    if incoming and _SAFE_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def internal_error_response(scope: Scope) -> Response:
    error = InternalError(
        "The service failed to answer this request.",
        hint="Retry; if it keeps failing, report the request_id to the service operator.",
    )
    return render(error, Request(scope))


def route_of(scope: Scope) -> str | None:
    """The route template the request matched (None before routing, or when none matched),
    without path convertors: /v1/addresses/{uprn}, not /v1/addresses/{uprn:not_match}."""
    return getattr(scope.get("route"), "path_format", None)


class RequestContextMiddleware:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware on every request)."""

    def __init__(self, app: ASGIApp, *, log_requests: bool = True) -> None:
        self.app = app
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = choose_request_id(incoming)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # A bug: answer with the one error body (unless a response already started) here,
            # inside this middleware, so even a 500 carries the request id.
            status = 500
            log.exception("unhandled error on %s %s", scope["method"], route_of(scope))
            if not response_started:
                await internal_error_response(scope)(scope, receive, send_with_headers)
        finally:
            if self.log_requests:
                self._log(scope, status, started, request_id)

    @staticmethod
    def _log(scope: Scope, status: int, started: float, request_id: str) -> None:
        client = scope.get("client")
        caller = scope.get("state", {}).get("caller")
        line = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "event": "request",
            "method": scope["method"],
            "route": route_of(scope),
            "council": caller.council_code if caller else None,
            "key": caller.key_prefix if caller else None,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "request_id": request_id,
            "client": client[0] if client else None,
        }
        access_log.info(orjson.dumps(line).decode())
