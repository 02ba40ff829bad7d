"""Which shared limiter: pyrate-limiter's PostgreSQL bucket, or our own leases of small blocks
of each key's allowance (service/tenancy/limits.py)? Both on the same database, measured two
ways: the cost of one limit check done request by request (what each request would pay), and
whether a limit of 1,000 holds when 8 checkers share it at once (as several processes would).

    .venv/bin/python -m benchmarks.limiter_choice --checks 2000

Uses the server of DATABASE_URL (or the managed local PostGIS) and a database of its own
(al_bench_limiter), dropped and made again on each run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import asyncpg
from psycopg_pool import ConnectionPool
from pyrate_limiter import Duration, Limiter, PostgresBucket, Rate

from benchmarks.load_benchmark import fresh_database
from service.settings import Settings
from service.tenancy.councils import add_council
from service.tenancy.keys import KeyKind
from service.tenancy.limits import DAY, MINUTE
from service.tenancy.limits import Limiter as LeaseLimiter
from service.tenancy.store import KeySpec, create_key

CONTENDED_LIMIT = 1000
CHECKERS = 8


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(label: str, micros: list[float]) -> dict[str, float]:
    figures = {"p50_us": statistics.median(micros), "p99_us": percentile(micros, 0.99)}
    print(f"{label}: p50 {figures['p50_us']:.0f} µs, p99 {figures['p99_us']:.0f} µs a check")
    return figures


def pyrate_limiter(pool: ConnectionPool, table: str, per_minute: int) -> Limiter:
    bucket = PostgresBucket(
        pool, table, [Rate(per_minute, Duration.MINUTE), Rate(per_minute * 1000, Duration.DAY)]
    )
    return Limiter(bucket)


def pyrate_sequential(pool: ConnectionPool, checks: int) -> list[float]:
    limiter = pyrate_limiter(pool, "bench_sequential", 10**8)
    micros = []
    for _ in range(checks):
        started = time.perf_counter()
        limiter.try_acquire("key", blocking=False)
        micros.append((time.perf_counter() - started) * 1e6)
    return micros


def pyrate_contended(pool: ConnectionPool) -> int:
    """Checks allowed when 8 threads share a limit of 1,000 a minute (3,000 checks in all)."""
    limiters = [pyrate_limiter(pool, "bench_contended", CONTENDED_LIMIT) for _ in range(CHECKERS)]

    def check(index: int) -> bool:
        return bool(limiters[index % CHECKERS].try_acquire("key", blocking=False))

    with ThreadPoolExecutor(CHECKERS) as threads:
        return sum(threads.map(check, range(3 * CONTENDED_LIMIT)))


async def lease_sequential(pool: asyncpg.Pool, key_id: int, checks: int) -> list[float]:
    limiter, limits = LeaseLimiter(), {MINUTE: 10**9, DAY: 10**9}
    micros = []
    for _ in range(checks):
        started = time.perf_counter()
        await limiter.take(pool, key_id, limits)
        micros.append((time.perf_counter() - started) * 1e6)
    return micros


async def lease_contended(pool: asyncpg.Pool, key_id: int) -> int:
    """8 limiters (as 8 processes would hold) share a limit of 1,000 a minute."""
    limiters = [LeaseLimiter() for _ in range(CHECKERS)]
    limits = {MINUTE: CONTENDED_LIMIT, DAY: 10**9}

    async def checker(limiter: LeaseLimiter) -> int:
        allowed = 0
        for _ in range(3 * CONTENDED_LIMIT // CHECKERS):
            allowed += (await limiter.take(pool, key_id, limits)).allowed
        return allowed

    return sum(await asyncio.gather(*(checker(limiter) for limiter in limiters)))


async def make_keys(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        await add_council(conn, "E06999998", "Benchmark council")
        ids = []
        for _ in range(2):
            spec = KeySpec("E06999998", KeyKind.SERVER, (), 10**9, 10**9, "benchmark")
            issued = await create_key(conn, spec)
            ids.append(
                await conn.fetchval(
                    "SELECT id FROM api_keys WHERE public_id = $1", issued.public_id
                )
            )
        return ids[0], ids[1]
    finally:
        await conn.close()


async def measure_leases(url: str, checks: int) -> dict[str, Any]:
    sequential_key, contended_key = await make_keys(url)
    pool = await asyncpg.create_pool(url, min_size=2, max_size=CHECKERS)
    assert pool is not None
    try:
        await lease_sequential(pool, sequential_key, 200)  # warm up
        figures = describe("leased blocks", await lease_sequential(pool, sequential_key, checks))
        if 60 - time.time() % 60 < 20:
            await asyncio.sleep(60 - time.time() % 60 + 0.5)
        figures["contended_allowed"] = await lease_contended(pool, contended_key)
    finally:
        await pool.close()
    print(
        f"  {CHECKERS} checkers on a limit of {CONTENDED_LIMIT}: "
        f"{figures['contended_allowed']} allowed"
    )
    return figures


def measure_pyrate(url: str, checks: int) -> dict[str, Any]:
    with ConnectionPool(url, min_size=2, max_size=CHECKERS, open=True) as pool:
        pyrate_sequential(pool, 200)  # warm up
        figures = describe("pyrate-limiter PostgresBucket", pyrate_sequential(pool, checks))
        if 60 - time.time() % 60 < 20:
            time.sleep(60 - time.time() % 60 + 0.5)
        figures["contended_allowed"] = pyrate_contended(pool)
    print(
        f"  {CHECKERS} checkers on a limit of {CONTENDED_LIMIT}: "
        f"{figures['contended_allowed']} allowed"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--database", default="al_bench_limiter")
    args = parser.parse_args()
    url = asyncio.run(fresh_database(Settings().database_url, args.database))
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {args.checks:,} checks one at a time")
    measure_pyrate(url, args.checks)
    asyncio.run(measure_leases(url, args.checks))


if __name__ == "__main__":
    main()
