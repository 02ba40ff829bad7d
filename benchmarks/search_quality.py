"""Search quality on a loaded data set: realistic messy queries built from real rows with a
noise model, reporting top-1, top-5 and MRR overall and per kind of mess; typeahead (top 5
after typing half the address, and after typing all of it; keystrokes until the address is in
the top 5 and stays, without bias, for the address's own council and near it); and, in the
same run, a naive baseline (pg_trgm similarity over the whole address string).

    .venv/bin/python -m benchmarks.search_quality --per-kind 300
    (DATABASE_URL, or the managed local database, must hold loaded addresses)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from benchmarks.quality.keystrokes import (
    TOP,
    KeystrokeTally,
    keystrokes_to_find,
    suggest,
    takes_bias,
)
from benchmarks.quality.noise import Case, make_case, stratified_cases, typeahead_prefix
from loaders.core.database import service_database_url
from service.db.connections import OneConnection
from service.db.pool import init_connection
from service.search.bias import Bias
from service.search.engine import search_addresses
from service.settings import Settings

SAMPLE = """
SELECT * FROM addresses
WHERE logical_status = 1 AND (thoroughfare IS NOT NULL OR street_description IS NOT NULL)
ORDER BY md5(uprn::text || $1) LIMIT $2
"""
BASELINE_INDEX = (
    "CREATE INDEX IF NOT EXISTS bench_address_trgm_idx "
    "ON addresses USING gist (address gist_trgm_ops)"
)
BASELINE = "SELECT uprn FROM addresses ORDER BY address <-> upper($1) LIMIT 5"


@dataclass
class Tally:
    """Ranks of the right answer (None when not in the top 5)."""

    ranks: list[int | None] = field(default_factory=list)

    def add(self, rank: int | None) -> None:
        self.ranks.append(rank)

    def summary(self) -> dict[str, float]:
        n = len(self.ranks) or 1
        return {
            "n": len(self.ranks),
            "top1": sum(1 for r in self.ranks if r == 1) / n,
            "top5": sum(1 for r in self.ranks if r is not None and r <= 5) / n,
            "mrr": sum(1 / r for r in self.ranks if r) / n,
        }


def rank_of(uprn: int, uprns: list[int]) -> int | None:
    return uprns.index(uprn) + 1 if uprn in uprns[:5] else None


async def run(
    url: str,
    per_kind: int,
    seed: int,
    show: int,
    *,
    baseline: bool = True,
    keystroke_queries: int = 100,
) -> dict[str, Any]:
    conn = await asyncpg.connect(url)
    await init_connection(conn)
    if baseline:
        await conn.execute(BASELINE_INDEX)
    rows = [dict(r) for r in await conn.fetch(SAMPLE, str(seed), per_kind * 40)]
    rng = random.Random(seed)
    cases = stratified_cases(rng, rows, per_kind)
    ours: defaultdict[str, Tally] = defaultdict(Tally)
    naive = Tally()
    failures: list[dict[str, Any]] = []
    duplicates = 0
    started = time.perf_counter()
    for case in cases:
        found = [r.uprn for r in await search_addresses(OneConnection(conn), case.query)]
        rank = rank_of(case.uprn, found)
        ours["all"].add(rank)
        ours[case.kind].add(rank)
        if baseline:
            trgm = [r["uprn"] for r in await conn.fetch(BASELINE, case.query)]
            naive.add(rank_of(case.uprn, trgm))
        if rank != 1:
            failure = await _describe_failure(conn, case, found)
            duplicates += failure["wanted"] == failure["got"]
            if len(failures) < show:
                failures.append(failure)
    typing = await _typeahead(conn, rows[: per_kind * 4], rng, keystroke_queries)
    await conn.close()
    return _report(
        ours,
        naive,
        typing,
        failures,
        duplicates=duplicates,
        seconds=time.perf_counter() - started,
    )


NEAR_OFFSET_M = 1500.0  # a form's rough idea of where the resident is: a mile or so off
BIASES: dict[str, Callable[[dict[str, Any]], Bias | None]] = {
    "none": lambda row: None,
    "own_council": lambda row: Bias(custodians=(row["custodian_code"],)),
    "near": lambda row: Bias(point=(row["x"] + NEAR_OFFSET_M, row["y"] - NEAR_OFFSET_M)),
}


async def _typeahead(
    conn: Any, rows: list[dict[str, Any]], rng: random.Random, keystroke_queries: int
) -> dict[str, Any]:
    """Top 5 after half and all of the shown address typed; keystrokes until a messy query's
    address is in the top 5 and stays, per bias."""
    db = OneConnection(conn)
    half, full = Tally(), Tally()
    for row in rows:
        half.add(rank_of(row["uprn"], await suggest(db, typeahead_prefix(row), None)))
        whole = " ".join(row["address"].replace(",", " ").split())
        full.add(rank_of(row["uprn"], await suggest(db, whole, None)))
    biases = BIASES if takes_bias() else {"none": BIASES["none"]}
    tallies = {name: KeystrokeTally() for name in biases}
    lost: list[dict[str, Any]] = []  # messy queries typed in full, not in the top 5 unbiased
    for row in rows[:keystroke_queries]:
        case = make_case(rng, row)
        for name, bias in biases.items():
            typed = await keystrokes_to_find(db, case.query, row["uprn"], bias(row))
            tallies[name].add(typed, len(case.query))
            if typed is None and name == "none":
                got = await suggest(db, case.query, None)
                lost.append(await _describe_failure(conn, case, got))
    return {
        "half_typed_top5": half.summary()["top5"],
        "full_text_top5": full.summary()["top5"],
        "keystrokes": {name: tally.summary() for name, tally in tallies.items()},
        "typed_in_full_not_in_top5": lost,
    }


async def _describe_failure(conn: Any, case: Case, found: list[int]) -> dict[str, Any]:
    wanted = await conn.fetchval("SELECT address FROM addresses WHERE uprn = $1", case.uprn)
    got = (
        await conn.fetchval("SELECT address FROM addresses WHERE uprn = $1", found[0])
        if found
        else None
    )
    return {
        "kind": case.kind,
        "query": case.query,
        "wanted": wanted,
        "got": got,
        "rank": rank_of(case.uprn, found),
    }


def _report(
    ours: dict[str, Tally],
    baseline: Tally,
    typeahead: dict[str, Any],
    failures: list[dict[str, Any]],
    *,
    duplicates: int,
    seconds: float,
) -> dict[str, Any]:
    return {
        "ours": {kind: tally.summary() for kind, tally in sorted(ours.items())},
        "baseline_trgm": baseline.summary(),
        "misses_with_identical_address_text": duplicates,
        "typeahead": typeahead,
        "failures": failures,
        "seconds": round(seconds, 1),
    }


def print_report(report: dict[str, Any]) -> None:
    print(f"{'kind':<18}{'n':>6}{'top-1':>9}{'top-5':>9}{'MRR':>8}")
    for kind, s in report["ours"].items():
        print(f"{kind:<18}{s['n']:>6}{s['top1']:>9.1%}{s['top5']:>9.1%}{s['mrr']:>8.3f}")
    b = report["baseline_trgm"]
    print(f"{'baseline (trgm)':<18}{b['n']:>6}{b['top1']:>9.1%}{b['top5']:>9.1%}{b['mrr']:>8.3f}")
    typing = report["typeahead"]
    print(f"typeahead, half typed, in top {TOP}: {typing['half_typed_top5']:.1%}")
    print(f"typeahead, all typed, in top {TOP}: {typing['full_text_top5']:.1%}")
    for name, k in typing["keystrokes"].items():
        print(
            f"keystrokes until in top {TOP} and stays ({name}, n={k['n']}): median "
            f"{k['median_share_typed']:.0%} of the text, within half {k['found_within_half']:.1%}"
            f", found at the end {k['found_at_full_text']:.1%}"
        )
    for failure in typing["typed_in_full_not_in_top5"]:
        print(f"  TYPED IN FULL, NOT IN TOP {TOP} [{failure['kind']}] {failure['query']!r}")
        print(f"     wanted {failure['wanted']}")
        print(f"     got    {failure['got']} (rank {failure['rank']})")
    twins = report["misses_with_identical_address_text"]
    print(f"misses whose top answer reads exactly like the wanted address: {twins}")
    for failure in report["failures"]:
        print(f"  MISS [{failure['kind']}] {failure['query']!r}")
        print(f"     wanted {failure['wanted']}")
        print(f"     got    {failure['got']} (rank {failure['rank']})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-kind", type=int, default=300, help="queries of each kind of mess")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-failures", type=int, default=15)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the (slow) naive baseline, for tuning"
    )
    parser.add_argument(
        "--keystroke-queries", type=int, default=100, help="messy queries typed key by key"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/search_quality.json"))
    args = parser.parse_args()
    url = service_database_url(Settings())
    report = asyncio.run(
        run(
            url,
            args.per_kind,
            args.seed,
            args.show_failures,
            baseline=not args.no_baseline,
            keystroke_queries=args.keystroke_queries,
        )
    )
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()
