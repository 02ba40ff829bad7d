"""Typeahead quality: how many keystrokes a resident types before the address they want is in
the top 5 suggestions and stays there, with and without knowing where they are (their
council's home area, or a point near them), and whether the whole text typed finds it.

Runs the engine of the code it is run from: ``complete_addresses`` when it has one (this
issue's completions), else the older ``search_addresses(..., typeahead=True)``, so the same
harness measures before and after."""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from service.db.connections import Connections
from service.search import engine

TOP = 5
Suggest = Callable[[Connections, str, Any], Awaitable[list[int]]]


def takes_bias() -> bool:
    """Whether the engine ranks for a caller (the older one does not: bias is ignored)."""
    return hasattr(engine, "complete_addresses")


async def suggest(db: Connections, text: str, bias: Any) -> list[int]:
    """The UPRNs suggested for ``text``, best first (``bias`` is a service.search.bias.Bias,
    or None; the older engine takes none)."""
    complete = getattr(engine, "complete_addresses", None)
    if complete is None:
        ranked = await engine.search_addresses(db, text, typeahead=True)  # type: ignore[call-arg]
    else:
        ranked = await complete(db, text, bias=bias)
    return [match.uprn for match in ranked]


async def keystrokes_to_find(db: Connections, text: str, uprn: int, bias: Any) -> int | None:
    """Characters typed until ``uprn`` is in the top 5 and stays there to the end of
    ``text`` (None when it is not there at the end). Asks from the end backwards and stops
    at the first prefix that misses, so it asks only what it must."""
    found: int | None = None
    for length in range(len(text), 0, -1):
        if uprn not in (await suggest(db, text[:length], bias))[:TOP]:
            break
        found = length
    return found


@dataclass
class KeystrokeTally:
    """Per query: the share of its characters typed before the target was found and stayed."""

    shares: list[float | None] = field(default_factory=list)

    def add(self, typed: int | None, length: int) -> None:
        self.shares.append(None if typed is None else typed / length)

    def summary(self) -> dict[str, float]:
        n = len(self.shares) or 1
        as_typed = [1.0 if s is None else s for s in self.shares]  # never found: all of it
        return {
            "n": len(self.shares),
            "median_share_typed": round(statistics.median(as_typed), 3) if self.shares else 1.0,
            "found_within_half": sum(1 for s in self.shares if s is not None and s <= 0.5) / n,
            "found_at_full_text": sum(1 for s in self.shares if s is not None) / n,
        }
