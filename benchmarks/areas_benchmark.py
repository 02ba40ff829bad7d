"""Areas benchmark: point -> areas on 12,610 generated areas (10,000 parishes, 2,500 wards,
100 districts, 10 counties) loaded with the real loader, served by the real service
(`address-lookup serve`, one process), asked for random points in WGS84.

It reports, as medians of several runs: latency measured at the server (the Server-Timing
header) with one request at a time, and the requests/s one service process holds with many
connections. It also prints the query plan, to check the GiST index on area_parts is used.

Run from the project root (it uses the managed local PostGIS, database al_bench_areas):
    .venv/bin/python -m benchmarks.areas_benchmark            # generate, load, measure
    .venv/bin/python -m benchmarks.areas_benchmark --skip-load  # measure again
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from pyproj import Transformer

from benchmarks.areas.client import Timings, saturate, sequential
from benchmarks.areas.generate import TYPES, random_points, write_type
from service.settings import PROJECT_ROOT, LocalDatabaseSettings
from service.sqlfiles import sql
from tests.support.server import wait_until_ready

DATABASE = "al_bench_areas"
OUT = PROJECT_ROOT / "benchmarks" / "out" / "areas"
COMMAND = str(Path(sys.executable).parent / "address-lookup")
HOST = "127.0.0.1"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--requests", type=int, default=3000, help="requests per latency run")
    parser.add_argument("--concurrency", type=int, default=16, help="connections for req/s")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of a req/s run")
    parser.add_argument("--port", type=int, default=8431, help="port the service listens on")
    return parser.parse_args()


def environment() -> dict[str, str]:
    """The commands' environment: the managed local PostGIS, the benchmark's own database."""
    env = {**os.environ, "ADDRESS_LOOKUP_DATABASE_NAME": DATABASE}
    env.pop("DATABASE_URL", None)
    env["ADDRESS_LOOKUP_LOG_LEVEL"] = "warning"
    env["ADDRESS_LOOKUP_REQUIRE_KEYS"] = "false"  # keys' cost is measured by keys_cost.py
    return env


def run(env: dict[str, str], *args: str) -> float:
    """Run an address-lookup command, echoing its output; returns the seconds it took."""
    started = time.monotonic()
    done = subprocess.run([COMMAND, *args], env=env, capture_output=True, text=True, check=False)
    print(done.stdout + done.stderr, end="")
    if done.returncode != 0:
        raise SystemExit(f"`address-lookup {' '.join(args)}` failed")
    return time.monotonic() - started


def generate_and_load(env: dict[str, str]) -> None:
    """Write each type's file, then load it with `address-lookup load boundaries`."""
    OUT.mkdir(parents=True, exist_ok=True)
    run(env, "db", "migrate")
    for seed, area_type in enumerate(TYPES):
        started = time.monotonic()
        path = write_type(OUT, area_type, seed)
        took = time.monotonic() - started
        print(f"generated {area_type.count:,} {area_type.name} areas ({took:.1f}s)")
        rejects = str(OUT / "rejects")
        seconds = run(
            env, "load", "boundaries", str(path), "--type", area_type.name, "--rejects-dir", rejects
        )
        print(f"loaded {area_type.name} in {seconds:.1f}s\n")


async def describe_data_and_plan() -> None:
    """Print the data size and the plan of the point query, checking it uses the GiST index."""
    conn = await asyncpg.connect(LocalDatabaseSettings(database_name=DATABASE).url)
    try:
        sizes = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM areas) AS areas, (SELECT count(*) FROM area_parts) AS "
            "parts, (SELECT sum(ST_NPoints(geom)) FROM areas) AS vertices, "
            "pg_size_pretty(pg_total_relation_size('area_parts')) AS parts_size"
        )
        print(f"data: {dict(sizes.items()) if sizes else 'none'}")
        lines = await plan_inside_the_function(conn)
    finally:
        await conn.close()
    print("\n".join(lines))
    uses_index = any("area_parts_geom_idx" in line for line in lines)
    print(f"\nGiST index on area_parts used: {'yes' if uses_index else 'NO'}\n")


async def plan_inside_the_function(conn: asyncpg.Connection) -> list[str]:
    """The plan PostgreSQL really runs inside areas_at_points (a plain EXPLAIN shows only a
    function scan): auto_explain logs nested statements, and the log is sent to this client."""
    messages: list[str] = []
    conn.add_log_listener(lambda _conn, message: messages.append(str(message)))
    lookup = sql("service.spatial", "areas_for_points")
    await conn.fetch(lookup, [500_000.0], [250_000.0], None)  # warm the cache
    await conn.execute(
        "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; "
        "SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; "
        "SET auto_explain.log_nested_statements = on; SET client_min_messages = log"
    )
    await conn.fetch(lookup, [500_000.0], [250_000.0], None)
    await asyncio.sleep(0.1)  # log messages arrive asynchronously
    return [line for message in messages for line in message.splitlines()]


@contextmanager
def running_service(env: dict[str, str], port: int) -> Iterator[None]:
    """`address-lookup serve` in a subprocess, ready to answer; stopped afterwards."""
    log = (OUT / "serve.log").open("w")
    process = subprocess.Popen(
        [COMMAND, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_ready(f"http://{HOST}:{port}", process, OUT / "serve.log")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def lookup_paths(count: int, seed: int) -> list[str]:
    """GET paths for random points in the generated region, as lat/lon (what forms send)."""
    to_wgs84 = Transformer.from_crs(27700, 4326, always_xy=True)
    paths = []
    for x, y in random_points(count, seed):
        lon, lat = to_wgs84.transform(x, y)
        paths.append(f"/v1/areas?lat={lat:.6f}&lon={lon:.6f}")
    return paths


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe_timings(label: str, timings: Timings) -> dict[str, float]:
    figures = {
        "p50": percentile(timings.server_ms, 0.50),
        "p95": percentile(timings.server_ms, 0.95),
        "p99": percentile(timings.server_ms, 0.99),
        "client_p50": percentile(timings.client_ms, 0.50),
    }
    shown = ", ".join(f"{name} {value:.2f} ms" for name, value in figures.items())
    print(f"{label}: {len(timings.server_ms):,} ok, {timings.failures} failed; server {shown}")
    return figures


async def measure(args: argparse.Namespace) -> None:
    """Latency runs one request at a time, then throughput runs with many connections."""
    await sequential(HOST, args.port, lookup_paths(500, seed=99))  # warm up
    latency: list[dict[str, float]] = []
    for run_number in range(args.runs):
        timings = await sequential(HOST, args.port, lookup_paths(args.requests, seed=run_number))
        latency.append(describe_timings(f"latency run {run_number + 1}", timings))
    rates: list[float] = []
    for run_number in range(args.runs):
        paths = lookup_paths(20_000, seed=100 + run_number)
        timings, elapsed = await saturate(HOST, args.port, paths, args.concurrency, args.seconds)
        rates.append(len(timings.server_ms) / elapsed)
        describe_timings(f"throughput run {run_number + 1}: {rates[-1]:,.0f} req/s", timings)
    print_medians(args, latency, rates)


def print_medians(
    args: argparse.Namespace, latency: list[dict[str, float]], rates: list[float]
) -> None:
    median = {name: statistics.median(run[name] for run in latency) for name in latency[0]}
    print(f"\nmedians of {args.runs} runs, {args.requests:,} sequential lookups each:")
    print(
        f"  server p50 {median['p50']:.2f} ms, p95 {median['p95']:.2f} ms, "
        f"p99 {median['p99']:.2f} ms (client round trip p50 {median['client_p50']:.2f} ms)"
    )
    print(
        f"  {statistics.median(rates):,.0f} req/s with {args.concurrency} connections "
        f"({args.seconds:.0f}s runs: {', '.join(f'{rate:,.0f}' for rate in rates)})"
    )


def print_machine() -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    print(
        f"machine: {os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )


def main() -> None:
    args = parse_args()
    env = environment()
    print_machine()
    if not args.skip_load:
        generate_and_load(env)
    asyncio.run(describe_data_and_plan())
    with running_service(env, args.port):
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
