"""Steady, open-loop HTTP traffic for drills: requests are sent on a fixed schedule (N a
second) whatever the answers do, so a stalled service shows as slow and failed requests
rather than as fewer requests sent. Each request records when it was due, how long its
answer took and how it ended."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

import httpx

# The mix of an address form's traffic: typeahead and postcode lists mostly, then lookups.
MIX = (("autocomplete", 3), ("postcode", 3), ("search", 2), ("uprn", 1), ("areas", 1))


@dataclass(frozen=True)
class Sample:
    """What the drill needs to ask real questions: addresses that are in the data."""

    uprns: list[int]
    postcodes: list[str]
    texts: list[str]


@dataclass(frozen=True)
class Outcome:
    kind: str
    due: float  # when it was sent, in seconds since the traffic began
    seconds: float  # from sending to the whole answer (or the failure)
    status: int  # 0: no answer (connection error or timeout)
    server_ms: float | None  # the service's own time (Server-Timing), without queueing


def request_for(kind: str, sample: Sample, rng: random.Random) -> tuple[str, dict[str, str]]:
    """The path and query of one request of this kind."""
    text = rng.choice(sample.texts)
    if kind == "autocomplete":
        return "/v1/addresses/autocomplete", {"q": text[: max(6, len(text) // 2)]}
    if kind == "search":
        return "/v1/addresses/search", {"q": text}
    if kind == "postcode":
        return f"/v1/postcodes/{rng.choice(sample.postcodes)}", {}
    if kind == "uprn":
        return f"/v1/addresses/{rng.choice(sample.uprns)}", {}
    return "/v1/areas", {"uprn": str(rng.choice(sample.uprns))}


async def _one(
    client: httpx.AsyncClient, kind: str, target: tuple[str, dict[str, str]], due: float
) -> Outcome:
    started = time.perf_counter()
    server_ms = None
    try:
        response = await client.get(target[0], params=target[1])
        status = response.status_code
        server_ms = _server_ms(response.headers.get("server-timing", ""))
    except httpx.HTTPError:
        status = 0
    return Outcome(kind, due, time.perf_counter() - started, status, server_ms)


def _server_ms(header: str) -> float | None:
    """The ``app;dur=`` figure of a Server-Timing header."""
    for part in header.split(";"):
        if part.strip().startswith("dur="):
            return float(part.strip()[4:])
    return None


async def run_traffic(
    base: str, sample: Sample, *, rate: float, stop: asyncio.Event, seed: int = 1
) -> list[Outcome]:
    """Send ``rate`` requests a second of the mix until ``stop`` is set; every outcome."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    tasks: list[asyncio.Task[Outcome]] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        began = time.perf_counter()
        n = 0
        while not stop.is_set():
            await asyncio.sleep(max(0.0, began + n / rate - time.perf_counter()))
            kind = rng.choice(kinds)
            target = request_for(kind, sample, rng)
            # When it was really sent: on a busy machine the sender itself can fall behind.
            sent = time.perf_counter() - began
            tasks.append(asyncio.create_task(_one(client, kind, target, sent)))
            n += 1
        return list(await asyncio.gather(*tasks))


def sent_per_second(outcomes: list[Outcome]) -> float:
    """The rate really sent (below the asked rate when the machine could not keep up)."""
    dues = [o.due for o in outcomes]
    span = max(dues) - min(dues) if dues else 0.0
    return round(len(outcomes) / span, 1) if span else 0.0


def summarise(outcomes: list[Outcome], *, slow_s: float = 0.5) -> dict[str, Any]:
    """Counts, failures (anything but 200), slow answers and latency figures in ms."""
    times = sorted(o.seconds * 1000 for o in outcomes)
    server = sorted(o.server_ms for o in outcomes if o.server_ms is not None)
    failed = [o for o in outcomes if o.status != 200]
    return {
        "requests": len(outcomes),
        "sent_per_second": sent_per_second(outcomes),
        "failed": len(failed),
        "failed_by_status": _count(str(o.status) for o in failed),
        "slower_than_ms": {str(int(slow_s * 1000)): sum(o.seconds > slow_s for o in outcomes)},
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1) if times else None,
        "worst_ms": round(times[-1], 1) if times else None,
        "server_median_ms": round(statistics.median(server), 1) if server else None,
        "server_worst_ms": round(server[-1], 1) if server else None,
    }


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
