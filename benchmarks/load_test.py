"""Load test: start the service on the loaded database, drive it with the locust mix
(benchmarks/locustfile.py) headless, and report per endpoint the time spent in the service
(p50/p95/p99 from Server-Timing) and the requests/s held. In the same run, once the load
has stopped, a naive baseline (pg_trgm similarity over the whole address string) is timed on
the same search queries, one at a time on the idle machine: the kindest conditions for it
(each query takes a core for most of a second, so timing it under the load would also slow
the service under test).

    .venv/bin/python -m benchmarks.load_test --users 16 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from benchmarks.quality.noise import make_case, typeahead_prefix
from benchmarks.search_quality import BASELINE, BASELINE_INDEX
from loaders.core.database import service_database_url
from service.settings import Settings

ENDPOINTS = ("search", "autocomplete", "postcode", "uprn", "areas")


async def build_pool(url: str, seed: int) -> dict[str, list[Any]]:
    """Queries drawn from the loaded data: messy searches, half-typed addresses, postcodes in
    any case and spacing, UPRNs, and points near addresses."""
    rng = random.Random(seed)
    conn = await asyncpg.connect(url)
    try:
        rows = [
            dict(r)
            for r in await conn.fetch(
                "SELECT * FROM addresses WHERE logical_status = 1 AND thoroughfare IS NOT NULL "
                "ORDER BY md5(uprn::text || $1) LIMIT 3000",
                str(seed),
            )
        ]
        postcodes = [
            r["postcode"]
            for r in await conn.fetch("SELECT postcode FROM postcodes ORDER BY random() LIMIT 3000")
        ]
    finally:
        await conn.close()
    searches = [make_case(rng, row).query for row in rows]
    return {
        "search": searches,
        "typeahead": [typeahead_prefix(row) for row in rows],
        "keystrokes": [q[:n] for q in searches[:400] for n in range(3, len(q) + 1)],
        "postcodes": [rng.choice((p, p.lower(), p.replace(" ", ""))) for p in postcodes],
        "uprns": [row["uprn"] for row in rows],
        "points": [
            (row["x"] + rng.uniform(-50, 50), row["y"] + rng.uniform(-50, 50)) for row in rows
        ],
    }


def start_service(
    port: int,
    workers: int = 1,
    *,
    checkout: Path | None = None,
    env: dict[str, str] | None = None,
    ready_within: float = 90,
) -> subprocess.Popen[bytes]:
    """`address-lookup serve` of ``checkout`` (this one when None) on ``port``, once its
    /readyz answers 200. Keys and the access log are off unless ``env`` sets them: a benchmark
    measures the lookups (benchmarks/keys_cost.py measures what keys add)."""
    settings = {
        **os.environ,
        "ADDRESS_LOOKUP_ACCESS_LOG": "false",
        "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
        **(env or {}),
    }
    program = (
        checkout / ".venv/bin/address-lookup"
        if checkout
        else Path(sys.executable).parent / "address-lookup"
    )
    server = subprocess.Popen(
        [str(program), "serve", "--port", str(port), "--workers", str(workers)],
        env=settings,
        cwd=checkout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the service at {checkout or 'this checkout'} did not become ready")


MIXES = {"form": "CouncilFormUser", "widget": "WidgetUser"}


def run_locust(port: int, users: int, duration: int, out: Path, mix: str = "form") -> Path:
    """Run the mix; returns the prefix of locust's CSV files."""
    prefix = out / "load"
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        "benchmarks/locustfile.py",
        "--headless",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{duration}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        MIXES[mix],
    ]
    environment = {
        **os.environ,
        "LOCUST_QUERY_POOL": str(out / "query_pool.json"),
        "LOCUST_SERVER_TIMES": f"{prefix}_server_times.json",
    }
    subprocess.run(command, check=False, env=environment)
    return prefix


async def baseline_timings(url: str, queries: list[str]) -> list[float]:
    """Milliseconds the naive search takes for each query, one at a time."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(BASELINE_INDEX)
        timings = []
        for query in queries:
            started = time.perf_counter()
            await conn.fetch(BASELINE, query)
            timings.append((time.perf_counter() - started) * 1000)
        return timings
    finally:
        await conn.close()


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    """Per endpoint: the exact server p50/p95/p99 (from the durations the locustfile wrote),
    the client p95, and requests/s."""
    stats: dict[str, dict[str, float]] = {name: {} for name in ENDPOINTS}
    server_times = orjson.loads(Path(f"{prefix}_server_times.json").read_bytes())
    for name in ENDPOINTS:
        times = server_times.get(name, [])
        stats[name].update(
            server_mean=sum(times) / len(times) if times else float("nan"),
            server_p50=percentile(times, 0.50),
            server_p95=percentile(times, 0.95),
            server_p99=percentile(times, 0.99),
        )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            if name in stats and row["Type"] != "SERVER":
                stats[name].update(
                    client_p95=float(row["95%"]),
                    rps=float(row["Requests/s"]),
                    failures=float(row["Failure Count"]),
                )
    return stats


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--mix",
        choices=sorted(MIXES),
        default="form",
        help="form: searches first; widget: keystrokes are 60 %% of requests",
    )
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    parser.add_argument(
        "--baseline-queries", type=int, default=40, help="search queries to time the baseline on"
    )
    args = parser.parse_args()
    url = service_database_url(Settings())
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    pool = asyncio.run(build_pool(url, args.seed))
    (out / "query_pool.json").write_bytes(orjson.dumps(pool))
    server = start_service(args.port, args.workers, env={"DB_POOL_MAX_SIZE": "10"})
    try:
        prefix = run_locust(args.port, args.users, args.duration, out, args.mix)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stats = read_stats(prefix)
    queries = pool["search"][: args.baseline_queries]
    timings = asyncio.run(baseline_timings(url, queries)) if queries else []
    stats["baseline_trgm_search"] = {
        "server_p50": percentile(timings, 0.5),
        "server_p95": percentile(timings, 0.95),
        "queries": len(timings),
    }
    print_stats(stats, args)
    run = {"args": {**vars(args), "out_dir": str(out)}, "stats": stats}
    suffix = "" if args.mix == "form" else f"_{args.mix}"
    (out / f"load_results_{args.users}u_{args.workers}w{suffix}.json").write_bytes(
        orjson.dumps(run, option=orjson.OPT_INDENT_2)
    )


def print_stats(stats: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    total = sum(stats[name].get("rps", 0.0) for name in ENDPOINTS)
    run = f"{args.users} users, {args.duration}s, {args.workers} service workers"
    print(f"\n{run}: {total:.0f} req/s")
    print(f"{'endpoint':<22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'client p95':>12}{'req/s':>9}")
    for name in ENDPOINTS:
        s = stats[name]
        figures = "".join(
            f"{s.get(k, 0.0):>9.1f}" for k in ("server_p50", "server_p95", "server_p99")
        )
        print(f"{name:<22}{figures}{s.get('client_p95', 0):>12.1f}{s.get('rps', 0):>9.1f}")
    typing, search = stats["autocomplete"], stats["search"]
    ratio = search.get("server_mean", 0.0) / (typing.get("server_mean") or float("nan"))
    print(f"autocomplete per request costs 1/{ratio:.2f} of a search (mean server time)")
    b = stats["baseline_trgm_search"]
    if not b["queries"]:
        return
    figures = f"{b['server_p50']:>9.1f}{b['server_p95']:>9.1f}"
    queries = f"{b['queries']:>30.0f} queries alone, database time"
    print(f"{'baseline trgm search':<22}{figures}{queries}")


if __name__ == "__main__":
    main()
