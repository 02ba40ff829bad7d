"""CPU instructions the service process spends on each kind of request, counted by valgrind's
callgrind: the same count whatever else the machine is doing, so two versions (or two settings)
of the service compare exactly on a busy machine where timings swing by a factor of two.

Each side is a checkout (with its own .venv) serving a database of the same data, one process
under callgrind. After a warm-up, for each endpoint of the locust mix the counters are zeroed,
the same requests are sent one at a time, and the count is read back: instructions a request.
PostgreSQL's own work is not counted (it runs in its own processes); the rest of a request is.

    .venv/bin/python -m benchmarks.instructions \\
        --side before /work/wt/before 'postgresql:///al_before?host=/path/to/socket' \\
        --side after . 'postgresql:///al_after?host=/path/to/socket' --requests 300

A side may set the service's environment: `--side keys-on . URL ADDRESS_LOOKUP_REQUIRE_KEYS=true`
(then `--key` gives the key its requests send).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from benchmarks.load_test import ENDPOINTS, build_pool


@dataclass(frozen=True)
class Side:
    label: str
    checkout: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)


def request_path(pool: dict[str, list[Any]], endpoint: str, i: int) -> str:
    """The locust mix's ``i``-th request of one endpoint, from the query pool."""
    if endpoint == "search":
        return f"/v1/addresses/search?q={quote(pool['search'][i])}"
    if endpoint == "autocomplete":
        return f"/v1/addresses/autocomplete?q={quote(pool['typeahead'][i])}"
    if endpoint == "postcode":
        return f"/v1/postcodes/{quote(pool['postcodes'][i])}"
    if endpoint == "uprn":
        return f"/v1/addresses/{pool['uprns'][i]}"
    x, y = pool["points"][i]
    return f"/v1/areas?x={x:.1f}&y={y:.1f}"


def paths_for(pool: dict[str, list[Any]], endpoint: str, count: int) -> list[str]:
    return [request_path(pool, endpoint, i % len(pool["uprns"])) for i in range(count)]


@contextmanager
def under_callgrind(side: Side, port: int, out: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The side's `address-lookup serve` (one process) under callgrind."""
    env = {
        **os.environ,
        "DATABASE_URL": side.database_url,
        "ADDRESS_LOOKUP_ACCESS_LOG": "false",
        "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
        "PYTHONHASHSEED": "0",
        **side.env,
    }
    for old in out.parent.glob(out.name + "*"):
        old.unlink()
    python = side.checkout / ".venv/bin/python"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", str(python)]
    command += [str(side.checkout / ".venv/bin/address-lookup"), "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, cwd=side.checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)


def wait_ready(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 600  # imports under callgrind take a minute or two
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the service under callgrind exited ({server.returncode})")
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    raise SystemExit("the service did not become ready under callgrind")


def counted(pid: int, out: Path, send: Any) -> int:
    """Instructions the process ran while ``send()`` ran."""
    subprocess.run(["callgrind_control", "-z", str(pid)], check=True, capture_output=True)
    send()
    subprocess.run(["callgrind_control", "-d", str(pid)], check=True, capture_output=True)
    newest = max(out.parent.glob(out.name + ".*"), key=lambda p: p.stat().st_mtime)
    for line in newest.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {newest}")


def measure(side: Side, pool: dict[str, list[Any]], args: argparse.Namespace) -> dict[str, float]:
    out = (args.out_dir / f"callgrind_{side.label}.out").resolve()  # the server runs elsewhere
    keyed = side.env.get("ADDRESS_LOOKUP_REQUIRE_KEYS") == "true"
    # In the X-API-Key header: httpx's client params would replace each path's own query.
    headers = {"X-API-Key": args.key} if args.key and keyed else {}
    with under_callgrind(side, args.port, out) as server:
        client = httpx.Client(
            base_url=f"http://127.0.0.1:{args.port}", timeout=120, headers=headers
        )
        wait_ready(client, server)
        figures = {}
        for endpoint in ENDPOINTS:
            paths = paths_for(pool, endpoint, args.warmup + args.requests)
            for path in paths[: args.warmup]:
                client.get(path)

            def send(todo: list[str] = paths[args.warmup :]) -> None:
                for path in todo:
                    status = client.get(path).status_code
                    assert status in (200, 404), f"{side.label} {path}: {status}"

            figures[endpoint] = counted(server.pid, out, send) / args.requests
            print(f"  {side.label:<10} {endpoint:<13} {figures[endpoint]:>14,.0f}", flush=True)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--side",
        nargs="+",
        action="append",
        required=True,
        metavar="LABEL CHECKOUT DATABASE_URL [NAME=VALUE ...]",
    )
    parser.add_argument("--requests", type=int, default=300, help="counted requests a kind")
    parser.add_argument("--warmup", type=int, default=100, help="requests a kind before counting")
    parser.add_argument("--key", help="the key requests send on a side with keys required")
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out/instructions"))
    args = parser.parse_args()
    sides = [
        Side(s[0], Path(s[1]).resolve(), s[2], dict(v.split("=", 1) for v in s[3:]))
        for s in args.side
    ]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    pool = asyncio.run(build_pool(sides[0].database_url, args.seed))
    print(f"instructions a request ({args.requests} of each kind, after {args.warmup} to warm up)")
    results = {side.label: measure(side, pool, args) for side in sides}
    first = sides[0].label
    for label, figures in list(results.items())[1:]:
        print(f"\n{label} against {first}:")
        for endpoint in ENDPOINTS:
            change = figures[endpoint] / results[first][endpoint] - 1
            print(f"  {endpoint:<13} {change:+.1%}")


if __name__ == "__main__":
    main()
