"""What keys cost: the same service with keys, limits and usage counting on, and off, in one
run. Each round starts `address-lookup serve` (one process, access log off) in each mode in
turn (the order alternating between rounds) and measures UPRN lookups: one at a time (the
service's own time, from Server-Timing) and with many connections at once (lookups a second).
With keys on every request sends a server key (in the `key` query parameter, as forms do)
whose limits are set high enough never to be reached, so each request pays for the whole
check: key, origin, both limits (leases of blocks) and usage counting. First, the front door
alone is timed in this process with nothing behind it (its CPU a request, the steadiest figure
on a shared machine).

    .venv/bin/python -m benchmarks.keys_cost --rounds 3

Uses the database of DATABASE_URL (or the managed local PostGIS), which must hold addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import asyncpg
import orjson
import psutil
from starlette.types import Message, Receive, Scope, Send

from benchmarks.areas.client import saturate, sequential
from benchmarks.areas_benchmark import percentile, print_machine
from service.api.tenancy_middleware import TenancyMiddleware
from service.settings import Settings
from service.tenancy.councils import TenancyInputError, add_council
from service.tenancy.gate import Gate, GateConfig
from service.tenancy.keys import KeyKind
from service.tenancy.store import KeySpec, create_key
from tests.support.server import serve_process

COUNCIL = "E06999997"
NEVER_REACHED = 2_000_000_000


async def prepare(url: str, count: int) -> tuple[list[int], str, int]:
    """UPRNs to look up, a key with limits never reached, and how many addresses there are."""
    conn = await asyncpg.connect(url)
    try:
        total = await conn.fetchval("SELECT count(*) FROM addresses")
        uprns = [
            r["uprn"]
            for r in await conn.fetch(
                "SELECT uprn FROM addresses ORDER BY md5(uprn::text) LIMIT $1", count
            )
        ]
        with contextlib.suppress(TenancyInputError):  # made by an earlier run
            await add_council(conn, COUNCIL, "Benchmark council")
        spec = KeySpec(COUNCIL, KeyKind.SERVER, (), NEVER_REACHED, NEVER_REACHED, "benchmark")
        key = (await create_key(conn, spec)).key
    finally:
        await conn.close()
    return uprns, key, total


def server_process(port: int) -> psutil.Process:
    """The service process listening on ``port``."""
    for connection in psutil.net_connections(kind="tcp"):
        if connection.laddr and connection.laddr.port == port and connection.status == "LISTEN":
            assert connection.pid is not None
            return psutil.Process(connection.pid)
    raise SystemExit(f"no process listens on port {port}")


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


async def measure(port: int, paths: list[str], args: argparse.Namespace) -> dict[str, float]:
    """Latency one at a time; then lookups a second with many connections, and the CPU time
    the service process spent on each (the client shares the machine's two cores, so CPU per
    lookup is the steadier measure of what the service itself pays)."""
    server = server_process(port)
    await sequential("127.0.0.1", port, paths[:500])  # warm up: pool, leases, caches
    one_at_a_time = await sequential("127.0.0.1", port, paths[: args.requests])
    cpu_before = cpu_seconds(server)
    loaded, seconds = await saturate("127.0.0.1", port, paths, args.concurrency, args.seconds)
    cpu_used = cpu_seconds(server) - cpu_before
    assert not one_at_a_time.failures and not loaded.failures, "every lookup must answer 200"
    return {
        "p50_ms": statistics.median(one_at_a_time.server_ms),
        "p95_ms": percentile(one_at_a_time.server_ms, 0.95),
        "per_second": len(loaded.server_ms) / seconds,
        "cpu_us_per_lookup": cpu_used / len(loaded.server_ms) * 1e6,
    }


def run_round(url: str, mode: str, paths: list[str], args: argparse.Namespace) -> dict[str, float]:
    env = {
        "ADDRESS_LOOKUP_ACCESS_LOG": "false",
        "ADDRESS_LOOKUP_REQUIRE_KEYS": "true" if mode == "on" else "false",
    }
    with serve_process(url, args.out_dir / f"keys_cost_{mode}.log", **env) as base:
        figures = asyncio.run(measure(int(base.rsplit(":", 1)[1]), paths, args))
    print(
        f"  keys {mode:<3}: p50 {figures['p50_ms']:.3f} ms, p95 {figures['p95_ms']:.3f} ms, "
        f"{figures['per_second']:,.0f} lookups/s, "
        f"{figures['cpu_us_per_lookup']:.0f} µs of service CPU each"
    )
    return figures


async def front_door_alone(url: str, key: str, batches: int = 10) -> float:
    """CPU µs a request spends in the front door alone (key, limits, usage, headers), with
    nothing behind it: the steadiest figure on a busy machine, since it needs no network, no
    query and no second process. Batches with and without it alternate; medians compared."""
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    assert pool is not None
    gate = Gate(pool, GateConfig(require_keys=True))
    await gate.reload()
    app = SimpleNamespace(state=SimpleNamespace(gate=gate))

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = SimpleNamespace(path="/v1/addresses/{uprn}")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def nothing() -> Message:
        return {}

    async def discard(message: Message) -> None:
        pass

    door, query = TenancyMiddleware(answer), f"key={key}".encode()
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for batch in range(batches + 1):
        for with_door in (True, False):
            started = time.process_time()
            for _ in range(5000):
                scope = {
                    "type": "http",
                    "method": "GET",
                    "path": "/v1/addresses/1",
                    "app": app,
                    "query_string": query,
                    "headers": [(b"host", b"127.0.0.1")],
                }
                await (door if with_door else answer)(scope, nothing, discard)
            if batch:  # the first batch warms up
                cpu[with_door].append((time.process_time() - started) / 5000 * 1e6)
    await gate.stop()
    await pool.close()
    return statistics.median(cpu[True]) - statistics.median(cpu[False])


def summary(runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    median = {
        mode: {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
        for mode, rounds in runs.items()
    }
    extra = median["on"]["p50_ms"] - median["off"]["p50_ms"]
    fewer = 1 - median["on"]["per_second"] / median["off"]["per_second"]
    cpu = median["on"]["cpu_us_per_lookup"] / median["off"]["cpu_us_per_lookup"] - 1
    print(
        f"\nmedians: p50 +{extra * 1000:.0f} µs with keys on (budget +300 µs); "
        f"{fewer:.1%} fewer lookups a second (budget 5 %); "
        f"{cpu:+.1%} service CPU a lookup"
    )
    return {
        "median": median,
        "extra_p50_ms": extra,
        "fewer_per_second": fewer,
        "more_cpu_per_lookup": cpu,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3000, help="sequential lookups a round")
    parser.add_argument("--seconds", type=float, default=15, help="length of a loaded run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    url = Settings().database_url
    print_machine()
    uprns, key, total = asyncio.run(prepare(url, 5000))
    print(f"{total:,} addresses; {len(uprns):,} UPRNs looked up in turn")
    door = asyncio.run(front_door_alone(url, key))
    print(f"the front door alone: {door:.1f} µs of CPU a request")
    random.Random(1).shuffle(uprns)
    paths = {
        "off": [f"/v1/addresses/{u}" for u in uprns],
        "on": [f"/v1/addresses/{u}?key={key}" for u in uprns],
    }
    runs: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
    for number in range(args.rounds):
        print(f"round {number + 1}")
        for mode in ("off", "on") if number % 2 == 0 else ("on", "off"):
            runs[mode].append(run_round(url, mode, paths[mode], args))
    report = {**summary(runs), "front_door_alone_us": door}
    (args.out_dir / "keys_cost.json").write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()
