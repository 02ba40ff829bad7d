"""Load benchmark: generate AddressBase Premium supplies of several sizes and load each into a
fresh database with the real CLI, timing the whole load (staging, checks, model, search index,
indexes and swap) and the peak memory of the loader with its worker processes. Quotes the
median of several runs per size.

    .venv/bin/python -m benchmarks.load_benchmark --sizes 100000 1000000 --runs 3

Uses the server of DATABASE_URL (or the managed local PostGIS) and makes its own database
there (--database, al_bench_load by default), which keeps the last load for other benchmarks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import psutil

from loaders.core.database import admin_database_url
from service.db.migrations import migrate
from service.settings import Settings
from tests.support.pg import with_database

COMMAND = str(Path(sys.executable).parent / "address-lookup")


def supply_for(out: Path, size: int, seed: int) -> Path:
    """The generated supply of this size (made once, then reused)."""
    folder = out / f"supply-{size}-{seed}"
    if not (folder / "manifest.json").exists():
        command = [COMMAND, "generate", "--addresses", str(size), "--seed", str(seed)]
        command += ["--out", str(folder), "--force"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return folder


async def fresh_database(server_url: str, database: str) -> str:
    """An empty, migrated database for one run."""
    admin = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {database}")
    finally:
        await admin.close()
    url = with_database(server_url, database)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return url


def timed_load(url: str, supply: Path, rejects: Path) -> dict[str, float]:
    """One load through the CLI: wall seconds and the peak memory of the loader with its
    worker processes."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [
                COMMAND,
                "load",
                "addressbase",
                str(supply / "AddressBasePremium_*.csv"),
                "--rejects-dir",
                str(rejects),
            ],
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        peak = wait_with_peak_memory(process)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"load failed: {errors.read().decode()}")
    return {"seconds": seconds, "peak_rss_mib": peak / 2**20}


def wait_with_peak_memory(process: subprocess.Popen[bytes], interval: float = 0.2) -> int:
    """Wait for the process; the most resident memory it and its children held together
    (bytes, sampled every ``interval`` seconds)."""
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        total = 0
        for member in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += member.memory_info().rss
        peak = max(peak, total)
        time.sleep(interval)
    return peak


def measure(server_url: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    supply = supply_for(args.out_dir, size, args.seed)
    results = []
    for _ in range(args.runs):
        url = asyncio.run(fresh_database(server_url, args.database))
        results.append(timed_load(url, supply, args.out_dir / "rejects"))
        run = results[-1]
        print(f"  {size:>9,} addresses: {run['seconds']:.1f} s, {run['peak_rss_mib']:.0f} MiB")
    median = statistics.median(r["seconds"] for r in results)
    return {
        "addresses": size,
        "runs": results,
        "median_seconds": round(median, 1),
        "addresses_per_second": round(size / median),
        "peak_rss_mib": round(max(r["peak_rss_mib"] for r in results)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="al_bench_load", help="database to (re)create")
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    server_url = admin_database_url(Settings())
    args.out_dir.mkdir(parents=True, exist_ok=True)
    figures = [measure(server_url, size, args) for size in args.sizes]
    print(f"\n{'addresses':>10}{'median s':>10}{'addresses/s':>13}{'peak MiB':>10}")
    for f in figures:
        print(
            f"{f['addresses']:>10,}{f['median_seconds']:>10.1f}{f['addresses_per_second']:>13,}{f['peak_rss_mib']:>10}"
        )
    report = orjson.dumps(figures, option=orjson.OPT_INDENT_2)
    (args.out_dir / "load_benchmark.json").write_bytes(report)


if __name__ == "__main__":
    main()
