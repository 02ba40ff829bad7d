"""Two versions of the service under the same locust mix, in one run: each side is a checkout
(with its own .venv) serving its own database of the same data. Rounds alternate the order
(A B, B A, ...), every round drives the same query pool for the same time, and the report gives,
per endpoint, the median over rounds of the server p95 and of the requests/s, so a noisy
machine moves both sides alike and the ratio stands. Each round of one side runs next to the same
round of the other, so the report also gives, per endpoint, the second side's server p95 over the
first's in each such pair: their median, and a 95 % interval for that median (bootstrap over the
pairs). On a machine whose speed swings from round to round, that interval says whether a
difference is there at all; ten rounds or more make it narrow.

    .venv/bin/python -m benchmarks.ab_compare \\
        --side before /work/wt/before 'postgresql:///al_before?host=/path/to/socket' \\
        --side after . 'postgresql:///al_after?host=/path/to/socket' \\
        --users 8 --workers 2 --duration 60 --rounds 3

Keys are off on both sides (a checkout from before keys ignores the setting).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
from dataclasses import dataclass
from pathlib import Path

import orjson

from benchmarks.load_test import (
    ENDPOINTS,
    MIXES,
    build_pool,
    read_stats,
    run_locust,
    start_service,
)

FIGURES = ("server_p50", "server_p95", "rps")


@dataclass(frozen=True)
class Side:
    label: str
    checkout: Path
    database_url: str


def one_round(side: Side, args: argparse.Namespace, out: Path) -> dict[str, dict[str, float]]:
    env = {"DATABASE_URL": side.database_url, "DB_POOL_MAX_SIZE": "10"}
    server = start_service(args.port, args.workers, checkout=side.checkout, env=env)
    try:
        prefix = run_locust(args.port, args.users, args.duration, out, mix=args.mix)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return read_stats(prefix)


def medians(rounds: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        name: {k: statistics.median(r[name].get(k, 0.0) for r in rounds) for k in FIGURES}
        | {"failures": sum(r[name].get("failures", 0.0) for r in rounds)}
        for name in ENDPOINTS
    }


def p95_ratios(rounds: dict[str, list[dict[str, dict[str, float]]]]) -> dict[str, list[float]]:
    """Per endpoint, the second side's server p95 over the first's, round by round."""
    first, second = rounds.values()
    return {
        name: [
            b[name]["server_p95"] / a[name]["server_p95"]
            for a, b in zip(first, second, strict=True)
        ]
        for name in ENDPOINTS
    }


def median_interval(values: list[float], draws: int = 10_000) -> tuple[float, float, float]:
    """The median and a 95 % bootstrap interval for it (seeded: the same rounds give the same
    interval)."""
    rng = random.Random(0)
    medians_drawn = sorted(
        statistics.median(rng.choices(values, k=len(values))) for _ in range(draws)
    )
    return (
        statistics.median(values),
        medians_drawn[int(0.025 * draws)],
        medians_drawn[int(0.975 * draws) - 1],
    )


def print_ratios(labels: list[str], ratios: dict[str, list[float]]) -> None:
    pairs = len(ratios["search"])
    print(f"\nserver p95, {labels[1]} over {labels[0]}, round by round ({pairs} pairs)")
    for name, values in ratios.items():
        middle, low, high = median_interval(values)
        print(f"{name:<14}median {middle:.3f}  95 % interval {low:.3f}-{high:.3f}")


def print_comparison(results: dict[str, dict[str, dict[str, float]]]) -> None:
    (a, first), (b, second) = results.items()
    print(f"\n{'endpoint':<14}" + "".join(f"{f + ' ' + s:>22}" for f in FIGURES for s in (a, b)))
    for name in ENDPOINTS:
        row = "".join(f"{side[name][f]:>22.1f}" for f in FIGURES for side in (first, second))
        print(f"{name:<14}{row}")
    for label, side in results.items():
        total = sum(side[name]["rps"] for name in ENDPOINTS)
        failures = sum(side[name]["failures"] for name in ENDPOINTS)
        print(f"{label}: {total:.0f} req/s in all (median of rounds), {failures:.0f} failures")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--side",
        nargs=3,
        action="append",
        required=True,
        metavar=("LABEL", "CHECKOUT", "DATABASE_URL"),
    )
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mix", choices=sorted(MIXES), default="form", help="the locust mix")
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks/out/ab"))
    args = parser.parse_args()
    sides = [Side(label, Path(path).resolve(), url) for label, path, url in args.side]
    if len(sides) != 2:
        parser.error("give exactly two --side")
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    pool = asyncio.run(build_pool(sides[0].database_url, args.seed))
    (out / "query_pool.json").write_bytes(orjson.dumps(pool))
    rounds: dict[str, list[dict[str, dict[str, float]]]] = {s.label: [] for s in sides}
    for number in range(args.rounds):
        for side in sides if number % 2 == 0 else sides[::-1]:
            rounds[side.label].append(one_round(side, args, out))
    results = {label: medians(runs) for label, runs in rounds.items()}
    print_comparison(results)
    ratios = p95_ratios(rounds)
    print_ratios(list(rounds), ratios)
    (out / "ab_results.json").write_bytes(
        orjson.dumps(
            {
                "args": {**vars(args), "out_dir": str(out)},
                "rounds": rounds,
                "medians": results,
                "p95_ratios": {name: median_interval(v) for name, v in ratios.items()},
            },
            option=orjson.OPT_INDENT_2,
        )
    )


if __name__ == "__main__":
    main()
