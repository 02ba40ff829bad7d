"""Headers every answer carries: how it may be cached, and what a browser may do with it.

Lookups (GET under /v1 and /search/places/v1) answered 200 may be kept for a short time by a
browser or a CDN: ``Cache-Control: public, max-age=N`` with an ``ETag`` keyed to the data being
served (it changes when a load takes effect, or the schema or release changes) and to the
request, so a repeated request with ``If-None-Match`` gets 304 before any work is done. Other
JSON answers (errors, bulk POSTs, health) are ``no-store``.

Security headers come from ``secure`` (a maintained library of their names and syntax):
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` everywhere; a
Content-Security-Policy that allows nothing on JSON, and scripts, styles and images from
the service's own origin only on HTML pages (a page that needs more, like the API docs, sets
its own)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

import secure
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import __version__
from service.db.datastate import DataState
from service.db.migrations import latest_version

LOOKUP_PREFIXES = ("/v1/", "/search/places/v1/")
# Answers depend on these request headers as well as on the URL (a key may carry a council's
# own ranking; CORS answers depend on the origin).
VARY = ("Origin", "X-API-Key")

_SELF, _NONE = "'self'", "'none'"
JSON_CSP = secure.ContentSecurityPolicy().default_src(_NONE).frame_ancestors(_NONE)
HTML_CSP = (
    secure.ContentSecurityPolicy()
    .default_src(_SELF)
    .script_src(_SELF)
    .style_src(_SELF)
    .img_src(_SELF, "data:")
    .connect_src(_SELF)
    .object_src(_NONE)
    .base_uri(_SELF)
    .form_action(_SELF)
    .frame_ancestors(_NONE)
)
EVERY_ANSWER = secure.Secure(
    xcto=secure.XContentTypeOptions(), referrer=secure.ReferrerPolicy().no_referrer()
).headers
JSON_ANSWER = {**EVERY_ANSWER, "Content-Security-Policy": JSON_CSP.header_value}
HTML_ANSWER = {**EVERY_ANSWER, "Content-Security-Policy": HTML_CSP.header_value}

DataStateSource = Callable[[Scope], Awaitable[DataState | None]]


def security_headers(message: Message) -> None:
    """Add the security headers to a response start, keeping a CSP the route set itself."""
    headers = MutableHeaders(scope=message)
    content_type = headers.get("content-type", "")
    extra = HTML_ANSWER if content_type.startswith("text/html") else JSON_ANSWER
    for name, value in extra.items():
        if name not in headers:
            headers[name] = value
    if content_type.startswith("application/json") and "cache-control" not in headers:
        headers["Cache-Control"] = "no-store"


def entity_tag(state: DataState, scope: Scope) -> str:
    """A weak ETag for a lookup: the data, schema and release served, and the request."""
    headers = Headers(scope=scope)
    request = [scope["path"], scope["query_string"].decode("latin-1")]
    request += [headers.get(name, "") for name in VARY]
    digest = hashlib.blake2b("\n".join(request).encode(), digest_size=12).hexdigest()
    return f'W/"{state.token}.{latest_version()}.{__version__}.{digest}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    return if_none_match.strip() == "*" or etag in (t.strip() for t in if_none_match.split(","))


class AnswerHeadersMiddleware:
    """Pure ASGI: security headers on every answer; Cache-Control, ETag and 304s on lookups."""

    def __init__(self, app: ASGIApp, *, data_state: DataStateSource, max_age_s: int) -> None:
        self.app = app
        self.data_state = data_state
        self.cache_control = f"public, max-age={max_age_s}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        etag = await self._etag(scope)
        if etag and matches(Headers(scope=scope).get("if-none-match"), etag):
            await self._not_modified(etag, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                security_headers(message)
                if etag and message["status"] == 200:
                    self._cacheable(message, etag)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _etag(self, scope: Scope) -> str | None:
        lookup = scope["method"] in ("GET", "HEAD") and scope["path"].startswith(LOOKUP_PREFIXES)
        state = await self.data_state(scope) if lookup else None
        return entity_tag(state, scope) if state else None

    def _cacheable(self, message: Message, etag: str) -> None:
        headers = MutableHeaders(scope=message)
        headers["Cache-Control"] = self.cache_control
        headers["ETag"] = etag
        headers["Vary"] = ", ".join(VARY)

    async def _not_modified(self, etag: str, send: Send) -> None:
        message: Message = {"type": "http.response.start", "status": 304, "headers": []}
        security_headers(message)
        self._cacheable(message, etag)
        await send(message)
        await send({"type": "http.response.body", "body": b""})
