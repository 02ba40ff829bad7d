"""A council's page that embeds the widget, served from the API's own origin or from a second
local origin (a tiny static server on another free port), so a test chooses where the page
comes from and where the API is."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from tests.support.server import free_port

PAGES = Path(__file__).parent / "pages"
BROKEN_SCRIPT = (PAGES / "broken-host-script.js").read_text(encoding="utf-8")
# The widget's attributes a test can set through the host page's query string (and any
# data-field-NAME, naming the form field to fill instead of NAME).
WIDGET_ATTRIBUTES = ("key", "areas", "lang", "timeout")


def content_security_policy(api: str) -> str:
    """A strict council page: its own files and the address service, nothing inline."""
    service = api or "'self'"
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {service}",
            f"style-src 'self' {service}",
            f"font-src {service}",
            f"img-src 'self' {service}",
            f"connect-src {service}",
            "form-action 'self'",
        ]
    )


def host_page(api: str, query: dict[str, str]) -> str:
    """The host page's HTML; ``api`` is the service's base URL ('' for the same origin)."""
    attributes = " ".join(
        f'data-{name}="{html.escape(value)}"'
        for name, value in query.items()
        if name in WIDGET_ATTRIBUTES or name.startswith("field-")
    )
    template = Template((PAGES / "host.html").read_text(encoding="utf-8"))
    return template.substitute(
        api=html.escape(api), lang=html.escape(query.get("lang", "en")), attributes=attributes
    )


def host_response(path: str, query: dict[str, str], api: str) -> tuple[int, str, str]:
    """Status, content type and body for a path of the host site."""
    if path == "/broken-host-script.js":
        return 200, "text/javascript", BROKEN_SCRIPT
    if path in ("/form", "/submitted"):
        return 200, "text/html; charset=utf-8", host_page(api, query)
    return 404, "text/plain", "not found"


async def same_origin_host(request: Request) -> Response:
    """The host page served by the service itself (a route the tests add to the real app)."""
    path = request.url.path.removeprefix("/e2e-host")
    status, content_type, body = host_response(path, dict(request.query_params), "")
    headers = {"Content-Security-Policy": content_security_policy("")}
    return Response(body, status_code=status, media_type=content_type, headers=headers)


@dataclass(frozen=True)
class Host:
    """Where the host page is: ``form_url(areas='parish')`` is its address."""

    base: str

    def form_url(self, **attributes: str) -> str:
        query = "&".join(f"{name}={value}" for name, value in attributes.items())
        return f"{self.base}/form" + (f"?{query}" if query else "")


@contextmanager
def second_origin_host(api: str) -> Iterator[Host]:
    """The host page on its own origin (another port of 127.0.0.1), calling the API at ``api``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            status, content_type, body = host_response(
                parts.path, dict(parse_qsl(parts.query)), api
            )
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Security-Policy", content_security_policy(api))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test output is for failures."""

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Host(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
