"""The front door, as pure ASGI middleware (cheaper per request than BaseHTTPMiddleware):
answers CORS preflights before routing, identifies the caller by its key, refuses keys used
from the wrong place or over their limits, adds the CORS and RateLimit headers, and counts
every answered request in its key's usage.

Who is calling is left in ``scope["state"]["caller"]`` (a ``service.tenancy.caller.Caller``,
or None when keys are not required and none was sent); the rest of the service reads only that.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import STATUS_BY_REFUSAL, from_key_refused, render
from service.api.headers import security_headers
from service.api.middleware import route_of
from service.errors import Forbidden
from service.tenancy.errors import KeyRefused, LimitState, Refusal
from service.tenancy.gate import Admission, Gate
from service.tenancy.origins import origin_of

# Paths anyone may fetch without a key: health, the API documentation, metrics, the widget's
# static files and the demo pages.
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/docs", "/redoc", "/openapi.json", "/metrics"})
OPEN_PREFIXES = ("/docs/", "/widget/", "/demo/")

ALLOW_METHODS = "GET, POST"
ALLOW_HEADERS = "X-API-Key, Content-Type, X-Request-ID"
EXPOSE_HEADERS = "X-Request-ID, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
PREFLIGHT_MAX_AGE_S = "600"


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


@dataclass(frozen=True)
class Sent:
    """What a request carries that the gate looks at."""

    key: str | None
    origin: str | None
    referer: str | None
    preflight: bool


def read_request(scope: Scope) -> Sent:
    """The key (X-API-Key header, else the ``key`` query parameter), Origin and Referer."""
    key = origin = referer = None
    preflight = False
    for name, value in scope["headers"]:
        if name == b"x-api-key":
            key = value.decode("latin-1")
        elif name == b"origin":
            origin = value.decode("latin-1")
        elif name == b"referer":
            referer = value.decode("latin-1")
        elif name == b"access-control-request-method":
            preflight = scope["method"] == "OPTIONS"
    if key is None:
        key = key_parameter(scope["query_string"])
    return Sent(key or None, origin, referer, preflight)


def key_parameter(query: bytes) -> str | None:
    """The ``key`` query parameter, found without parsing the whole query string (this runs
    on every request; a key is plain ASCII, so it needs unquoting only when it is mangled)."""
    if query.startswith(b"key="):
        start = 4
    else:
        start = query.find(b"&key=") + 5
        if start == 4:
            return None
    end = query.find(b"&", start)
    value = query[start:] if end < 0 else query[start:end]
    text = value.decode("latin-1")
    return unquote_plus(text) if b"%" in value or b"+" in value else text


RawHeaders = list[tuple[bytes, bytes]]
_VARY = (b"vary", b"Origin")
_EXPOSE = (b"access-control-expose-headers", EXPOSE_HEADERS.encode())


def extra_headers(origin: str | None, state: LimitState | None, *, vary: bool = True) -> RawHeaders:
    """The CORS headers (``origin``: the page's origin if CORS lets it read the answer; ``vary``:
    whether Vary must still be added) and the RateLimit headers, as raw header pairs (cheaper
    than Starlette's header objects)."""
    headers = [_VARY] if vary else []
    if origin is not None:
        headers += [(b"access-control-allow-origin", origin.encode("latin-1")), _EXPOSE]
    if state is not None:
        headers += [
            (b"ratelimit-limit", b"%d" % state.limit),
            (b"ratelimit-remaining", b"%d" % state.remaining),
            (b"ratelimit-reset", b"%d" % state.reset_s),
        ]
    return headers


def with_security_headers(send: Send) -> Send:
    """``send`` adding the security headers every answer carries: the gate answers refusals
    and preflights itself, outside the middleware that adds them to the service's answers."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            security_headers(message)
        await send(message)

    return sending


def allowed_origin(gate: Gate, sent: Sent) -> str | None:
    """The page's origin when CORS lets it read answers (an active browser key names it)."""
    page = origin_of(sent.origin) if sent.origin else None
    return sent.origin if page is not None and gate.allows_origin(page) else None


class TenancyMiddleware:
    """Keys, origins, limits, CORS and usage for every request outside the open paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["caller"] = None
        if is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        gate: Gate = scope["app"].state.gate
        sent = read_request(scope)
        if sent.preflight:
            await self._preflight(scope, receive, send, sent.origin, allowed_origin(gate, sent))
            return
        try:
            admission = await gate.admit(sent.key, sent.origin, sent.referer)
        except KeyRefused as refused:
            state["caller"] = refused.caller
            await self._refuse(scope, receive, send, refused, allowed_origin(gate, sent))
            if refused.key_id is not None:
                gate.count(refused.key_id, scope["path"], STATUS_BY_REFUSAL[refused.reason])
            return
        state["caller"] = admission.caller
        # Asked after admission: a key first seen just now has brought its origins with it.
        await self._answer(scope, receive, send, gate, admission, allowed_origin(gate, sent))

    async def _answer(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        gate: Gate,
        admission: Admission,
        allowed: str | None,
    ) -> None:
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message.get("headers", ())
                # A cacheable lookup already varies by Origin (service.api.headers).
                vary = not any(name == b"vary" for name, _ in headers)
                message["headers"] = [*headers, *extra_headers(allowed, admission.limit, vary=vary)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if admission.key_id is not None:
                gate.count(admission.key_id, route_of(scope) or scope["path"], status)

    @staticmethod
    async def _refuse(
        scope: Scope, receive: Receive, send: Send, refused: KeyRefused, allowed: str | None
    ) -> None:
        response = render(from_key_refused(refused), Request(scope))
        response.raw_headers += extra_headers(allowed, refused.limit)
        if refused.limit is not None:
            response.headers["Retry-After"] = str(refused.limit.reset_s)
        await response(scope, receive, with_security_headers(send))

    @staticmethod
    async def _preflight(
        scope: Scope, receive: Receive, send: Send, origin: str | None, allowed: str | None
    ) -> None:
        """204 with the CORS grant for an allowed origin, else 403 saying what to do."""
        if allowed is None:
            error = Forbidden(
                f"Pages at {origin or 'an unknown origin'} may not call this service.",
                hint="The operator of this service must register this origin on a browser "
                "key of your council; then send that key from these pages.",
            )
            error.code = Refusal.ORIGIN_NOT_ALLOWED.value
            await render(error, Request(scope))(scope, receive, with_security_headers(send))
            return
        headers = {
            "Access-Control-Allow-Origin": allowed,
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": ALLOW_HEADERS,
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE_S,
            "Vary": "Origin",
        }
        await Response(status_code=204, headers=headers)(
            scope, receive, with_security_headers(send)
        )
