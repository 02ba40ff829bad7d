"""The demo pages as HTML: Jinja2 templates (autoescaped, so nothing a resident typed or the
database holds can become markup) with GOV.UK Frontend's classes."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

# The demo pages load nothing but the service's own files: no inline script or style, no
# other origin. The same policy proves the widget works on a strict council page.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def _templates() -> jinja2.Environment:
    """The template environment, made on first use (nothing is read at import time)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("service.widget", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(name: str, **context: Any) -> str:
    """One page of the demo, rendered from its template."""
    return _templates().get_template(name).render(**context)
