"""Loads on a primary while the service reads from its streaming replica: how many requests
fail, and how many replica queries replay cancels, during a full reload (build beside the live
data, then swap) and during a change-only update, under steady lookup traffic.

It makes its own throwaway primary and a ``pg_basebackup -R`` hot standby of it (the settings
of tests.support.replica.STANDBY_SETTINGS, which the README asks of a production replica,
overridable with --standby-setting), generates and loads a supply on the primary, starts
``address-lookup serve`` with the standby as its read pool, and runs three phases under
traffic from --threads threads: steady (nothing happens), a full reload of the same supply, and
a change-only update.

    .venv/bin/python -m benchmarks.replica_reload --addresses 100000 --threads 4
    .venv/bin/python -m benchmarks.replica_reload --standby-setting max_standby_streaming_delay=0

A failed request is one with no answer or a 5xx. Replay conflicts are read from the standby's
pg_stat_database_conflicts; retries (a request a replica failed, run again on the primary)
from the service's metrics.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from benchmarks.areas_benchmark import percentile, print_machine
from service.db import localcluster
from service.db.roles import SERVICE_ROLE
from service.settings import PROJECT_ROOT
from tests.support.cli import run_cli
from tests.support.replica import (
    Standby,
    lookup_paths,
    metric_values,
    primary_and_standby,
    primary_env,
    reads_by_pool,
    replay_conflicts,
    replica_state,
)
from tests.support.server import serve_process, wait_until
from tests.support.traffic import Traffic, traffic


def generate(folder: Path, *options: str) -> None:
    done = run_cli("generate", *options, "--out", str(folder), timeout=7200)
    if done.returncode != 0:
        raise SystemExit(f"generate failed: {done.stderr}")


def load(primary: localcluster.LocalCluster, supply: Path) -> float:
    """Load a supply on the primary through the CLI; the seconds it took."""
    started = time.perf_counter()
    rejects = ("--rejects-dir", str(primary.root.parent / "rejects"))
    done = run_cli(
        "load", "addressbase", str(supply), *rejects, env=primary_env(primary), timeout=7200
    )
    if done.returncode != 0:
        raise SystemExit(f"load failed: {done.stderr}")
    return time.perf_counter() - started


def summarise(
    seen: Traffic, seconds: float, reads: dict[str, float], extra: dict[str, Any]
) -> dict[str, Any]:
    answered = [o.seconds * 1000 for o in seen.outcomes if not o.failed]
    return {
        "seconds": round(seconds, 2),
        "requests": len(seen.outcomes),
        "failed": len(seen.failures),
        "failed_examples": [f"{o.path}: {o.status or o.error}" for o in seen.failures[:5]],
        "client_p50_ms": round(percentile(answered, 0.5), 2) if answered else None,
        "client_p95_ms": round(percentile(answered, 0.95), 2) if answered else None,
        "reads_by_pool": reads,
        **extra,
    }


def run_phase(
    base: str, standby: Standby, paths: list[str], threads: int, action: Callable[[], object]
) -> dict[str, Any]:
    """Traffic while ``action`` runs (and two seconds after, for the replay to land)."""
    reads_before, conflicts_before = reads_by_pool(base), replay_conflicts(standby)
    retries_before = metric_values(base, "address_lookup_db_read_retries_total").get("", 0.0)
    with traffic(base, paths, threads=threads) as seen:
        started = time.perf_counter()
        action()
        time.sleep(2)
        seconds = time.perf_counter() - started
    reads_after = reads_by_pool(base)
    retries = metric_values(base, "address_lookup_db_read_retries_total").get("", 0.0)
    extra = {
        "replay_conflicts": replay_conflicts(standby) - conflicts_before,
        "retried_on_primary": retries - retries_before,
        "replica_after": replica_state(base),
    }
    reads = {pool: reads_after[pool] - reads_before.get(pool, 0) for pool in reads_after}
    return summarise(seen, seconds, reads, extra)


def measure(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    full, cou = args.supply or root / "supply" / "full", root / "supply" / "cou"
    if args.supply is None:
        generate(full, "--addresses", str(args.addresses), "--seed", "11")
    generate(cou, "--cou-from", str(full), "--seed", "12")
    settings = dict(setting.split("=", 1) for setting in args.standby_setting)
    with primary_and_standby(root / "clusters", settings) as (primary, standby):
        first_load_s = load(primary, full)
        paths = lookup_paths(primary.url, 200)
        env = {
            **primary_env(primary),
            "DATABASE_READ_URLS": standby.url_as(SERVICE_ROLE),
            "ADDRESS_LOOKUP_REQUIRE_KEYS": "false",
            "ADDRESS_LOOKUP_ACCESS_LOG": "false",
        }
        with serve_process("", args.out_dir / "replica_reload_serve.log", **env) as base:
            wait_until(lambda: bool(replica_state(base)["in_rotation"]), timeout=60)
            actions: dict[str, Callable[[], object]] = {
                "steady": lambda: time.sleep(5),
                "full_reload": lambda: load(primary, full),
                "change_only": lambda: load(primary, cou),
            }
            phases = {
                name: run_phase(base, standby, paths, args.threads, action)
                for name, action in actions.items()
            }
    return {
        "supply": str(full),
        "addresses": args.addresses if args.supply is None else None,
        "threads": args.threads,
        "standby_settings": settings,
        "first_load_s": round(first_load_s, 1),
        "load_average": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "phases": phases,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument(
        "--supply", type=Path, help="a full supply written by `generate` (default: make one)"
    )
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--standby-setting", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--out-dir", type=Path, default=Path("benchmarks"))
    args = parser.parse_args()
    print_machine()
    root = PROJECT_ROOT / ".data" / "bench-replica" / uuid.uuid4().hex[:6]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        report = measure(args, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    (args.out_dir / "replica_reload.json").write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2)
    )
    for name, phase in report["phases"].items():
        print(
            f"{name}: {phase['requests']} requests in {phase['seconds']} s, "
            f"{phase['failed']} failed, p50 {phase['client_p50_ms']} ms, "
            f"p95 {phase['client_p95_ms']} ms, reads {phase['reads_by_pool']}, "
            f"replay conflicts {phase['replay_conflicts']}, "
            f"retried on the primary {phase['retried_on_primary']}"
        )
    print(f"load average {report['load_average']}")


if __name__ == "__main__":
    main()
