"""What the HTTP parser and the slow-client guard cost: the service served by uvicorn with
each protocol in one run, UPRN lookups and postcode lookups a second with many connections.

    h11         GuardedH11Protocol: uvicorn's pure-Python parser with the header guard
    httptools   GuardedHttpToolsProtocol: uvicorn's C parser with the same guard (`serve`)
    plain       uvicorn's own HttpToolsProtocol: no guard, the bare server

Each round starts one service process (keys off, access log off) per mode in turn, the order
rotating between rounds so that no mode always runs first; medians over the rounds are
compared. The client (benchmarks/areas/client.py) shares the machine, so the CPU time the
service process spends a request is reported beside the rate.

    .venv/bin/python -m benchmarks.http_server_cost --rounds 5

Uses the database of DATABASE_URL (or the managed local PostGIS), which must hold addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import uvicorn

from benchmarks.areas.client import saturate, sequential
from benchmarks.areas_benchmark import print_machine
from benchmarks.keys_cost import cpu_seconds, server_process
from service.api.slowclients import uvicorn_options
from service.main import create_app
from service.settings import Settings
from tests.support.server import free_port, wait_until_ready

MODES = ("h11", "httptools", "plain")
KINDS = ("uprn", "postcode")


def serve(mode: str, port: int) -> None:
    """Run the service with this mode's protocol until stopped (in its own process)."""
    settings = Settings()
    options = uvicorn_options(settings.server, "h11" if mode == "h11" else "httptools")
    if mode == "plain":
        options["http"] = "httptools"
    config = uvicorn.Config(
        create_app(settings), port=port, log_level="warning", access_log=False, **options
    )
    uvicorn.Server(config).run()


async def lookup_paths(url: str, count: int) -> dict[str, list[str]]:
    """UPRN and postcode lookup paths for addresses spread over the data, shuffled."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT uprn, postcode FROM addresses WHERE postcode IS NOT NULL "
            "ORDER BY md5(uprn::text) LIMIT $1",
            count,
        )
    finally:
        await conn.close()
    if not rows:
        raise SystemExit("the database holds no addresses: load some first")
    paths = {
        "uprn": [f"/v1/addresses/{row['uprn']}" for row in rows],
        "postcode": [f"/v1/postcodes/{row['postcode'].replace(' ', '%20')}" for row in rows],
    }
    for kind in KINDS:
        random.Random(kind).shuffle(paths[kind])
    return paths


async def measure(port: int, paths: dict[str, list[str]], seconds: float) -> dict[str, float]:
    """Lookups a second of each kind with many connections, and the service's CPU each."""
    server = server_process(port)
    figures: dict[str, float] = {}
    for kind in KINDS:
        await sequential("127.0.0.1", port, paths[kind][:300])  # warm up
        before = cpu_seconds(server)
        loaded, elapsed = await saturate("127.0.0.1", port, paths[kind], 8, seconds)
        assert not loaded.failures, f"every {kind} lookup must answer 200"
        figures[f"{kind}_per_second"] = len(loaded.server_ms) / elapsed
        figures[f"{kind}_cpu_us"] = (cpu_seconds(server) - before) / len(loaded.server_ms) * 1e6
    return figures


def run_mode(mode: str, paths: dict[str, list[str]], args: argparse.Namespace) -> dict[str, float]:
    """One service process with this mode, measured, then stopped."""
    port, log = free_port(), args.out_dir / f"http_server_cost_{mode}.log"
    command = [sys.executable, "-m", "benchmarks.http_server_cost", "--serve", mode]
    env = {
        **os.environ,
        "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
        "ADDRESS_LOOKUP_ACCESS_LOG": "false",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", process, log)
        figures = asyncio.run(measure(port, paths, args.seconds))
    finally:
        process.terminate()
        process.wait(timeout=30)
    shown = ", ".join(
        f"{kind} {figures[f'{kind}_per_second']:,.0f}/s ({figures[f'{kind}_cpu_us']:.0f} µs CPU)"
        for kind in KINDS
    )
    print(f"  {mode:<9}: {shown}")
    return figures


def summary(runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    """Medians per mode, and each mode's rates relative to the guarded httptools server."""
    median = {
        mode: {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
        for mode, rounds in runs.items()
    }
    relative = {
        mode: {
            kind: median[mode][f"{kind}_per_second"] / median["httptools"][f"{kind}_per_second"]
            for kind in KINDS
        }
        for mode in MODES
    }
    print("\nmedians (lookups a second, relative to httptools with the guard; service CPU each):")
    for mode in MODES:
        figures = median[mode]
        print(
            f"  {mode:<9}: "
            + ", ".join(
                f"{kind} {figures[f'{kind}_per_second']:,.0f}/s ({relative[mode][kind]:.1%}), "
                f"{figures[f'{kind}_cpu_us']:.0f} µs"
                for kind in KINDS
            )
        )
    return {"median": median, "relative_to_httptools": relative, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10, help="length of a loaded run")
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--serve", choices=MODES, help=argparse.SUPPRESS)  # the server side
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    args.out_dir.mkdir(parents=True, exist_ok=True)
    print_machine()
    paths = asyncio.run(lookup_paths(Settings().database_url, 5000))
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    for number in range(args.rounds):
        print(f"round {number + 1} (load average {os.getloadavg()[0]:.1f})")
        for mode in MODES[number % 3 :] + MODES[: number % 3]:
            runs[mode].append(run_mode(mode, paths, args))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    report = summary(runs)
    (args.out_dir / "http_server_cost.json").write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2)
    )


if __name__ == "__main__":
    main()
