"""Data operations drill (issue 14): a full reload of the addresses while the service answers
steady mixed traffic and another session holds a long read on the live addresses (as pg_dump
or a nightly report would). Says how many requests failed, how long the slowest took, how
many were delayed past 500 ms, and how the load ended.

    .venv/bin/python -m benchmarks.data_ops_drill --addresses 100000 --out-dir benchmarks/out
    .venv/bin/python -m benchmarks.data_ops_drill --project /path/to/older/checkout ...

Everything real: the service runs as its own process (`address-lookup serve`), the load is the
`address-lookup load addressbase` command, the reader is a PostgreSQL session that reads the
addresses and then sleeps inside its transaction. The reader starts when the load has built its
addresses (so it is holding the table when the load comes to swap) and holds for
--reader-seconds. --project names the checkout (with its own .venv) whose service and loader
run, to compare an older version on the same data, database server and machine. Uses the
server of DATABASE_URL (or the managed local PostGIS) and (re)creates --database there.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from benchmarks.drill_locks import watch_lock_waits
from benchmarks.drill_traffic import Outcome, Sample, run_traffic, summarise
from benchmarks.load_benchmark import supply_for
from benchmarks.load_test import start_service
from loaders.core.database import admin_database_url
from service.settings import PROJECT_ROOT, Settings
from tests.support.pg import with_database
from tests.support.server import free_port

READER = "drill reader"
# Lines a full load prints (old and new versions alike): when the swap phase begins and ends.
_MARKS = {"indexed": b"indexed every table", "swapped": b"swapped the new data in"}
_SAMPLE = """
SELECT uprn, postcode, split_part(address, ', ', 1) || ' ' || split_part(address, ', ', 2) AS text
FROM addresses WHERE postcode IS NOT NULL ORDER BY random() LIMIT 300
"""


def command(project: Path) -> str:
    return str(project / ".venv" / "bin" / "address-lookup")


def run_cli(project: Path, url: str, *args: str) -> None:
    """One command of the project under test, which must succeed."""
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [command(project), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed: {done.stderr[-2000:]}")


async def fresh_database(server_url: str, database: str) -> str:
    admin = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {database}")
    finally:
        await admin.close()
    return with_database(server_url, database)


def prepare(project: Path, url: str, supply: Path, rejects: Path) -> None:
    """Migrate, load the supply and its parishes, as an operator of that version would."""
    run_cli(project, url, "db", "migrate")
    run_cli(project, url, "load", "addressbase", str(supply), "--rejects-dir", str(rejects))
    parishes = str(supply / "boundaries" / "parishes.geojson")
    run_cli(
        project,
        url,
        "load",
        "boundaries",
        parishes,
        "--type",
        "parish",
        "--rejects-dir",
        str(rejects),
    )


async def sample_of(url: str) -> Sample:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(_SAMPLE)
    finally:
        await conn.close()
    return Sample(
        [r["uprn"] for r in rows], [r["postcode"] for r in rows], [r["text"] for r in rows]
    )


async def hold_read(url: str, seconds: float, began: float) -> dict[str, Any]:
    """Read the live addresses, then stay in the transaction for ``seconds``."""
    started = time.perf_counter() - began
    conn = await asyncpg.connect(url, server_settings={"application_name": READER})
    try:
        async with conn.transaction():
            await conn.fetchval("SELECT count(*) FROM addresses")
            await conn.execute("SELECT pg_sleep($1)", seconds)
        error = None
    except asyncpg.PostgresError as failure:
        error = f"{type(failure).__name__}: {failure}"
    finally:
        await conn.close()
    return {"started_s": round(started, 1), "held_s": seconds, "error": error}


async def reload(
    project: Path, url: str, supply: Path, rejects: Path, *, reader: Any, began: float
) -> dict[str, Any]:
    """The full reload; starts the reader (``reader()``) once the load has built its
    addresses. Returns the load's outcome, the reader's, and when (seconds since ``began``)
    the load printed each of its _MARKS."""
    started = time.perf_counter()
    loader = await asyncio.create_subprocess_exec(
        command(project),
        "load",
        "addressbase",
        str(supply),
        "--rejects-dir",
        str(rejects),
        env={**os.environ, "DATABASE_URL": url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert loader.stdout is not None and loader.stderr is not None
    holding: asyncio.Task[dict[str, Any]] | None = None
    swapped = None
    marks: dict[str, float] = {}
    async for raw in loader.stdout:
        if holding is None and b"built" in raw and b"addresses" in raw:
            holding = asyncio.create_task(reader())
        for mark, text in _MARKS.items():
            if text in raw and mark not in marks:
                marks[mark] = round(time.perf_counter() - began, 1)
        if b"swapped" in raw:
            swapped = raw.decode().strip()
    errors = (await loader.stderr.read()).decode().strip().splitlines()
    code = await loader.wait()
    outcome = {
        "exit_code": code,
        "seconds": round(time.perf_counter() - started, 1),
        "error": " ".join(errors[-3:]) if code else None,
        "swap": swapped,
    }
    reading = await holding if holding else None
    return {"load": outcome, "reader": reading, "marks_s": marks}


def window(outcomes: list[Outcome], start: float, end: float) -> list[Outcome]:
    return [o for o in outcomes if start <= o.due <= end]


async def drill(project: Path, url: str, supply: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Traffic throughout; after --warmup seconds the reload (and the reader) run."""
    port = free_port()
    service = start_service(port, checkout=project, env={"DATABASE_URL": url}, ready_within=60)
    try:
        sample = await sample_of(url)
        stop = asyncio.Event()
        began = time.perf_counter()
        traffic = asyncio.create_task(
            run_traffic(f"http://127.0.0.1:{port}", sample, rate=args.rate, stop=stop)
        )
        watching = asyncio.create_task(watch_lock_waits(url, stop))
        await asyncio.sleep(args.warmup)
        load_start = time.perf_counter() - began
        result = await reload(
            project,
            url,
            supply,
            args.out_dir / "rejects",
            reader=lambda: hold_read(url, args.reader_seconds, began),
            began=began,
        )
        load_end = time.perf_counter() - began
        marks = result["marks_s"]
        await asyncio.sleep(args.warmup)
        stop.set()
        outcomes = await traffic
        lock_waits = await watching
    finally:
        service.terminate()
        service.wait(timeout=30)
    return {
        **result,
        "service_lock_waits": lock_waits,
        "load_window_s": [round(load_start, 1), round(load_end, 1)],
        "traffic": summarise(outcomes),
        "traffic_before_load": summarise(window(outcomes, 0, load_start)),
        "traffic_during_load": summarise(window(outcomes, load_start, load_end)),
        # From the end of indexing to the swap (or the load's end): the load only waits for
        # its locks here, so slow answers are the swap's doing, not the build's CPU use.
        "traffic_during_swap_phase": summarise(
            window(outcomes, marks.get("indexed", load_end), marks.get("swapped", load_end))
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=50.0, help="requests a second")
    parser.add_argument("--reader-seconds", type=float, default=40.0)
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of traffic before and after the load"
    )
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT, help="checkout to run")
    parser.add_argument("--database", default="al_drill_data_ops")
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--label", default="", help="name of this run in the report")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    supply = supply_for(args.out_dir, args.addresses, args.seed)
    url = asyncio.run(fresh_database(admin_database_url(Settings()), args.database))
    prepare(args.project, url, supply, args.out_dir / "rejects")
    report = {
        "label": args.label or str(args.project),
        "addresses": args.addresses,
        "rate": args.rate,
        "reader_seconds": args.reader_seconds,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **asyncio.run(drill(args.project, url, supply, args)),
    }
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    name = f"data_ops_drill{('-' + args.label) if args.label else ''}.json"
    (args.out_dir / name).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    sys.exit(main())
