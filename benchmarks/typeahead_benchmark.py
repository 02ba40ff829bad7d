"""Typeahead at keystroke speed: start the service on the loaded database, then one client asks
autocomplete for every prefix (from the third character) of realistic messy queries, one after
another, and reads the time spent in the service from each answer's Server-Timing header.
Reports p50/p95/p99 per prefix-length band (3, 4-6, 7-12, 13-24, 25+ characters) and overall,
the single slowest prefixes, and the size of the search tables per address (for planning).

    .venv/bin/python -m benchmarks.typeahead_benchmark --queries 400 --label 1m
    (DATABASE_URL, or the managed local database, must hold loaded addresses)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from benchmarks.load_test import percentile, start_service
from benchmarks.quality.noise import make_case
from loaders.core.database import service_database_url
from service.settings import Settings

BANDS = ((3, 3), (4, 6), (7, 12), (13, 24), (25, 10_000))
MIN_PREFIX = 3
SAMPLE = (
    "SELECT * FROM addresses WHERE logical_status = 1 AND thoroughfare IS NOT NULL "
    "ORDER BY md5(uprn::text || $1) LIMIT $2"
)
SIZES = """
SELECT (SELECT count(*) FROM addresses) AS addresses,
       pg_total_relation_size('search_completions') AS completions_bytes,
       (SELECT count(*) FROM search_completions) AS completion_keys,
       pg_total_relation_size('address_search') AS address_search_bytes,
       pg_total_relation_size('search_words') AS search_words_bytes
"""

WIDGET_SUGGESTIONS = 10  # what the widget asks for (TYPEAHEAD_LIMIT in its script)


async def messy_queries(url: str, count: int, seed: int) -> tuple[list[str], dict[str, Any]]:
    """``count`` realistic messy queries (the quality harness's noise model, kinds at random)
    from rows of the loaded data, and the search tables' sizes."""
    rng = random.Random(seed)
    conn = await asyncpg.connect(url)
    try:
        rows = [dict(r) for r in await conn.fetch(SAMPLE, str(seed), count)]
        sizes = await _sizes(conn)
    finally:
        await conn.close()
    return [make_case(rng, row).query for row in rows], sizes


async def _sizes(conn: Any) -> dict[str, Any]:
    """Table sizes per address (the completions table is absent before this issue)."""
    has_completions = await conn.fetchval("SELECT to_regclass('search_completions') IS NOT NULL")
    if not has_completions:
        sizes = dict(await conn.fetchrow(SIZES.replace("search_completions", "search_words")))
        sizes["completions_bytes"] = sizes["completion_keys"] = 0
    else:
        sizes = dict(await conn.fetchrow(SIZES))
    n = sizes["addresses"] or 1
    for name in ("completions", "address_search", "search_words"):
        sizes[f"{name}_bytes_per_address"] = round(sizes[f"{name}_bytes"] / n, 1)
    return sizes


def free_port() -> int:
    """A TCP port nobody listens on now (another service on the machine may hold a fixed one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def prefixes(queries: list[str]) -> list[str]:
    """Every prefix of every query from MIN_PREFIX characters, in typing order."""
    return [q[:n] for q in queries for n in range(MIN_PREFIX, len(q) + 1)]


def server_ms(response: httpx.Response) -> float:
    """The service's own time for a request, from 'Server-Timing: app;dur=<ms>'."""
    header = response.headers.get("server-timing", "")
    return float(header.split("dur=")[1].split(",")[0])


def ask_every_prefix(port: int, typed: list[str]) -> list[tuple[int, float, str]]:
    """(length, server ms, prefix) for each prefix, asked one at a time."""
    timings = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for text in typed:
            params: dict[str, str | int] = {"q": text, "limit": WIDGET_SUGGESTIONS}  # as the widget
            response = client.get("/v1/addresses/autocomplete", params=params)
            response.raise_for_status()
            timings.append((len(text), server_ms(response), text))
    return timings


def band_figures(timings: list[tuple[int, float, str]]) -> dict[str, dict[str, float]]:
    """p50/p95/p99 and count per prefix-length band, and over every prefix."""
    bands: dict[str, dict[str, float]] = {}
    for low, high in BANDS:
        name = str(low) if low == high else (f"{low}-{high}" if high < 10_000 else f"{low}+")
        bands[name] = _figures([ms for length, ms, _ in timings if low <= length <= high])
    bands["every prefix"] = _figures([ms for _, ms, _ in timings])
    return bands


def _figures(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 0.50), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
    }


def print_figures(bands: dict[str, dict[str, float]], sizes: dict[str, Any]) -> None:
    print(f"{'prefix length':<16}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, f in bands.items():
        print(f"{name:<16}{f['n']:>7}{f['p50']:>9.2f}{f['p95']:>9.2f}{f['p99']:>9.2f}")
    print(
        f"{sizes['addresses']:,} addresses; per address: completions "
        f"{sizes['completions_bytes_per_address']} B ({sizes['completion_keys']:,} keys), "
        f"address_search {sizes['address_search_bytes_per_address']} B"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=400, help="messy queries to type")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2, help="service processes")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--label", default="run", help="names the output file")
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    url = service_database_url(Settings())
    queries, sizes = asyncio.run(messy_queries(url, args.queries, args.seed))
    typed = prefixes(queries)
    port = args.port or free_port()
    server = start_service(port, args.workers, env={"DB_POOL_MAX_SIZE": "10"})
    try:
        if server.poll() is not None:
            raise SystemExit(f"the service stopped at once: is port {port} taken?")
        ask_every_prefix(port, typed[:50])  # warm each worker's statements and caches
        started = time.perf_counter()
        timings = ask_every_prefix(port, typed)
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    bands = band_figures(timings)
    print_figures(bands, sizes)
    slowest = sorted(timings, key=lambda t: -t[1])[:10]
    result: dict[str, Any] = {"args": {**vars(args), "out_dir": str(args.out_dir)}}
    result.update(bands=bands, sizes=sizes, seconds=round(seconds, 1), slowest=slowest)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / f"typeahead_{args.label}.json"
    out.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()
