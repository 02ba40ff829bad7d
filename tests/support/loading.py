"""Loading addresses through the CLI in tests, and reading back what happened."""

from __future__ import annotations

import csv
from pathlib import Path

import asyncpg

from tests.support.cli import run_cli


def load(
    database_url: str, tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()
) -> tuple[int, str, str]:
    done = run_cli(
        "load", "addressbase", *map(str, paths), "--rejects-dir", str(tmp_path / "rejects"), *extra,
        env={"DATABASE_URL": database_url},
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def rejects(tmp_path: Path) -> list[dict[str, str]]:
    files = sorted((tmp_path / "rejects").glob("*.csv"))
    with files[-1].open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


async def fetch(database_url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetch(sql)
    finally:
        await conn.close()
