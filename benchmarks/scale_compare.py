"""Lookups at two data sizes, measured in one run on a shared machine: one service on each
database, and the same kinds of request sent to them in strict alternation, one at a time, so
that whatever else the machine is doing falls on both alike. Reports per endpoint the service's
own time (Server-Timing) at each size, median and p95, and their ratio. The locust mix
(load_test.py) measures throughput; this isolates what the data's size costs a lookup.

    .venv/bin/python -m benchmarks.scale_compare --small URL_1M --large URL_5M --requests 300

Each URL is a database holding loaded addresses (a superuser's or the loader's: the query
pool is read from it; the services connect with it too).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import orjson

from benchmarks.areas_benchmark import percentile, print_machine
from benchmarks.load_test import build_pool
from tests.support.server import serve_process

SERVICE_ENV = {"ADDRESS_LOOKUP_ACCESS_LOG": "false", "ADDRESS_LOOKUP_REQUIRE_KEYS": "false"}


def requests_of(
    pool: dict[str, list[Any]], count: int
) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Each endpoint's requests (path and query) from a query pool of load_test's kind."""
    return {
        "search": [("/v1/addresses/search", {"q": q}) for q in pool["search"][:count]],
        "autocomplete": [
            ("/v1/addresses/autocomplete", {"q": q}) for q in pool["typeahead"][:count]
        ],
        "postcode": [(f"/v1/postcodes/{p}", {}) for p in pool["postcodes"][:count]],
        "uprn": [(f"/v1/addresses/{u}", {}) for u in pool["uprns"][:count]],
    }


def server_ms(client: httpx.Client, path: str, params: dict[str, str]) -> float:
    response = client.get(path, params=params)
    response.raise_for_status()
    return float(response.headers["server-timing"].split("dur=")[1])


def alternate(
    clients: dict[str, httpx.Client], requests: dict[str, list[tuple[str, dict[str, str]]]]
) -> dict[str, dict[str, list[float]]]:
    """Every request of each size's own pool, the sizes taking turns request by request."""
    timings: dict[str, dict[str, list[float]]] = {size: {} for size in clients}
    for endpoint in requests["small"]:
        for size in clients:
            timings[size][endpoint] = []
        for pair in zip(requests["small"][endpoint], requests["large"][endpoint], strict=False):
            for size, (path, params) in zip(clients, pair, strict=True):
                timings[size][endpoint].append(server_ms(clients[size], path, params))
    return timings


def figures(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", required=True, help="URL of the smaller database")
    parser.add_argument("--large", required=True, help="URL of the larger database")
    parser.add_argument("--requests", type=int, default=300, help="per endpoint and size")
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    print_machine()
    urls = {"small": args.small, "large": args.large}
    requests = {
        size: requests_of(asyncio.run(build_pool(url, 3)), args.requests)
        for size, url in urls.items()
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    with ExitStack() as stack:
        clients = {}
        for size, url in urls.items():
            log = args.out_dir / f"scale_compare_{size}.log"
            base = stack.enter_context(serve_process(url, log, **SERVICE_ENV))
            clients[size] = stack.enter_context(httpx.Client(base_url=base, timeout=30))
        for client in clients.values():  # warm both up alike
            for path, params in requests["small"]["uprn"][:20]:
                client.get(path, params=params)
        started = time.perf_counter()
        timings = alternate(clients, requests)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "seconds": round(time.perf_counter() - started, 1),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "endpoints": {
            endpoint: {size: figures(timings[size][endpoint]) for size in clients}
            for endpoint in timings["small"]
        },
    }
    (args.out_dir / "scale_compare.json").write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2)
    )
    for endpoint, sizes in report["endpoints"].items():
        small, large = sizes["small"], sizes["large"]
        print(
            f"{endpoint:<13} small p50 {small['p50_ms']:.2f} p95 {small['p95_ms']:.2f} | "
            f"large p50 {large['p50_ms']:.2f} p95 {large['p95_ms']:.2f} | "
            f"p95 ratio {large['p95_ms'] / small['p95_ms']:.2f}"
        )
    print(f"load average {report['load_average']}")


if __name__ == "__main__":
    main()
