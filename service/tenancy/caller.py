"""Who is calling: what the rest of the service may know about the council behind a request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """The council whose key made this request. ``home_custodians`` and ``home_box`` (British
    National Grid metres: minx, miny, maxx, maxy) are its home area, empty when not set."""

    council_code: str
    council_name: str
    key_prefix: str  # the key's public id, e.g. alpk_x7k2m9q4: never the secret
    kind: str  # "browser" or "server"
    home_custodians: tuple[int, ...] = ()
    home_box: tuple[float, float, float, float] | None = None
