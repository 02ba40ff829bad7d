"""Loading addresses through the CLI in tests, and reading back what happened."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

from tests.support.cli import run_cli
from tests.support.pg import ThrowawayDatabases

# Which addresses are live, in one row: compared before and after a load that must change nothing.
ADDRESSES_FINGERPRINT = (
    "SELECT count(*), md5(string_agg(uprn || address, ',' ORDER BY uprn)) FROM addresses"
)

_BOUNDARY_FILES = {"parish": "parishes", "ward": "wards", "district": "districts"}


@contextmanager
def generated_database(
    databases: ThrowawayDatabases,
    folder: Path,
    *,
    addresses: int,
    seed: int,
    areas: tuple[str, ...] = (),
) -> Iterator[str]:
    """A fresh database holding a generated supply (written to ``folder``), loaded through the
    CLI as an operator would, with the generator's boundaries of the given area types."""
    made = run_cli(
        "generate", "--addresses", str(addresses), "--seed", str(seed), "--out", str(folder)
    )
    assert made.returncode == 0, made.stderr
    with databases.fresh() as url:
        env, rejects = {"DATABASE_URL": url}, ("--rejects-dir", str(folder / "rejects"))
        loaded = run_cli("load", "addressbase", str(folder), *rejects, env=env)
        assert loaded.returncode == 0, loaded.stderr
        for kind in areas:
            boundaries = folder / "boundaries" / f"{_BOUNDARY_FILES[kind]}.geojson"
            done = run_cli("load", "boundaries", str(boundaries), "--type", kind, *rejects, env=env)
            assert done.returncode == 0, done.stderr
        yield url


def load_generated_contacts(database_url: str, folder: Path) -> None:
    """Load the generator's contacts file (parish clerks...) through the CLI."""
    contacts, rejects = str(folder / "contacts.csv"), str(folder / "rejects")
    env = {"DATABASE_URL": database_url}
    done = run_cli("load", "contacts", contacts, "--rejects-dir", rejects, env=env)
    assert done.returncode == 0, done.stderr


def load(
    database_url: str, tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()
) -> tuple[int, str, str]:
    done = run_cli(
        "load",
        "addressbase",
        *map(str, paths),
        "--rejects-dir",
        str(tmp_path / "rejects"),
        *extra,
        env={"DATABASE_URL": database_url},
    )
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


def generate_supply(folder: Path, *, addresses: int, seed: int) -> Path:
    """A generated full supply (with boundaries and contacts) written to ``folder``."""
    made = run_cli(
        "generate", "--addresses", str(addresses), "--seed", str(seed), "--out", str(folder)
    )
    assert made.returncode == 0, made.stderr
    return folder


@contextmanager
def loaded_database(databases: ThrowawayDatabases, supply: Path, rejects: Path) -> Iterator[str]:
    """A fresh database with ``supply`` loaded through the CLI; yields its URL."""
    with databases.fresh() as url:
        loaded = run_cli(
            "load",
            "addressbase",
            str(supply),
            "--rejects-dir",
            str(rejects),
            env={"DATABASE_URL": url},
        )
        assert loaded.returncode == 0, loaded.stderr
        yield url


def generate_supplies(root: Path, specs: dict[str, tuple[int, int]]) -> dict[str, Path]:
    """Generated supplies by name, from (addresses, seed) each, in folders under ``root``."""
    return {
        name: generate_supply(root / name, addresses=size, seed=seed)
        for name, (size, seed) in specs.items()
    }
