"""Web origins (scheme, host and port), as browsers send them and as keys are bound to them."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class BadOrigin(ValueError):
    """An origin an operator gave that is not ``scheme://host[:port]``."""


@lru_cache(maxsize=1024)  # browsers send the same few origins over and over
def origin_of(url: str) -> str | None:
    """The origin of a URL (an Origin or Referer header) in one canonical spelling: lower
    case, the default port left out. None when it has no http(s) origin (``null``, file:)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 address keeps its brackets in an origin
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def checked_origin(text: str) -> str:
    """An origin an operator registers on a browser key, canonical; BadOrigin says why not."""
    origin = origin_of(text)
    path = urlsplit(text.strip()).path if origin else ""
    if origin is None:
        raise BadOrigin(
            f"{text!r} is not a web origin: give scheme, host and optional port, "
            "e.g. https://forms.example.gov.uk or http://localhost:8080"
        )
    if path not in ("", "/") or "?" in text or "#" in text:
        raise BadOrigin(
            f"{text!r} has a path, query or fragment: an origin is only scheme, host and port "
            f"(here {origin})"
        )
    return origin
