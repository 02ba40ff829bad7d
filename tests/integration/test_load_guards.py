"""Every kind of load refuses, unless --force, to replace live data with nothing or to shrink
it by more than --max-shrink, and refuses more bad rows than --max-reject-rate; a refusal
says what would have changed and leaves the live data as it was."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import numpy as np
import pyogrio.raw
import pytest

from tests.support.areas import load as load_boundaries
from tests.support.cli import run_cli
from tests.support.loading import generate_supplies, loaded_database
from tests.support.paths import shared_data
from tests.support.pg import ThrowawayDatabases

PARISHES = "boundaries/parishes_boundaryline_sample.geojson"
CONTACTS_HEADER = "area_code,area_type,name,role,email,phone,url\n"


def one_line(text: str) -> str:
    return " ".join(text.split())


async def count(url: str, sql: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def supplies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate_supplies(
        tmp_path_factory.mktemp("guard-supplies"), {"full": (2000, 1), "half": (1000, 2)}
    )


@pytest.fixture
def loaded(
    databases: ThrowawayDatabases, supplies: dict[str, Path], tmp_path: Path
) -> Iterator[str]:
    with loaded_database(databases, supplies["full"], tmp_path) as url:
        yield url


def load_addresses(url: str, supply: Path, rejects: Path, *extra: str) -> tuple[int, str]:
    args = ("load", "addressbase", str(supply), "--rejects-dir", str(rejects), *extra)
    done = run_cli(*args, env={"DATABASE_URL": url})
    return done.returncode, one_line(done.stderr)


@pytest.mark.slow
def test_an_address_load_that_halves_the_addresses_is_refused_unless_allowed(
    loaded: str, supplies: dict[str, Path], tmp_path: Path
) -> None:
    code, message = load_addresses(loaded, supplies["half"], tmp_path)
    assert code == 1
    assert "would take the live addresses from 2,000 to 1,000 (50.0% fewer)" in message
    assert "more than --max-shrink 10%" in message and "unchanged" in message
    assert asyncio.run(count(loaded, "SELECT count(*) FROM addresses")) == 2000
    assert load_addresses(loaded, supplies["half"], tmp_path, "--max-shrink", "0.6")[0] == 0
    assert asyncio.run(count(loaded, "SELECT count(*) FROM addresses")) == 1000


def _contacts(path: Path, lines: list[str]) -> Path:
    path.write_text(CONTACTS_HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def load_contacts(url: str, path: Path, *extra: str) -> tuple[int, str]:
    args = ("load", "contacts", str(path), "--rejects-dir", str(path.parent), *extra)
    done = run_cli(*args, env={"DATABASE_URL": url})
    return done.returncode, one_line(done.stderr)


def test_contacts_are_never_wiped_or_cut_down_by_mistake(database_url: str, tmp_path: Path) -> None:
    many = [f"E0400{n:04},,Clerk {n},Clerk,clerk{n}@example.org,," for n in range(20)]
    assert load_contacts(database_url, _contacts(tmp_path / "all.csv", many))[0] == 0
    code, message = load_contacts(database_url, _contacts(tmp_path / "empty.csv", []))
    assert code == 1
    assert "would replace the 20 live contacts of set 'default' with none" in message
    two = _contacts(tmp_path / "two.csv", ["X1,,Ann,,,,", "X2,,Bob,,,,"])
    code, message = load_contacts(database_url, two)
    assert code == 1
    assert "from 20 to 2 (90.0% fewer), more than --max-shrink 10%" in message
    bad = _contacts(tmp_path / "bad.csv", [*many[:17], "Y1,,,,,,", "Y2,,,,,,", "Y3,,,,,,"])
    code, message = load_contacts(database_url, bad)
    assert code == 1
    assert "3 of 20 rows (15.00%) were rejected, more than --max-reject-rate 10.00%" in message
    assert asyncio.run(count(database_url, "SELECT count(*) FROM area_contacts")) == 20
    assert load_contacts(database_url, two, "--force")[0] == 0
    assert asyncio.run(count(database_url, "SELECT count(*) FROM area_contacts")) == 2


def _parishes_with_blank_names(path: Path, blank: int) -> Path:
    """The 50 real parishes with the names of the first ``blank`` of them emptied."""
    meta, _, wkb, (codes, names) = pyogrio.raw.read(shared_data(PARISHES), columns=["code", "name"])
    names = np.array([("" if i < blank else name) for i, name in enumerate(names)], dtype=object)
    pyogrio.raw.write(
        path, wkb, [codes, names], ["code", "name"], crs=meta["crs"], geometry_type="Unknown"
    )
    return path


def test_a_parish_file_with_most_names_blank_never_replaces_the_parishes(
    database_url: str, tmp_path: Path
) -> None:
    assert load_boundaries(database_url, shared_data(PARISHES), "parish").returncode == 0
    broken = _parishes_with_blank_names(tmp_path / "broken.geojson", blank=45)
    done = load_boundaries(database_url, broken, "parish")
    assert done.returncode == 1
    assert "45 of 50 rows (90.00%) were rejected" in one_line(done.stderr)
    done = load_boundaries(database_url, broken, "parish", "--max-reject-rate", "1")
    assert done.returncode == 1
    assert (
        "would take the live parish areas of set 'default' from 50 to 5 (90.0% fewer)"
        in one_line(done.stderr)
    )
    assert asyncio.run(count(database_url, "SELECT count(*) FROM areas")) == 50
    forced = load_boundaries(database_url, broken, "parish", "--max-reject-rate", "1", "--force")
    assert forced.returncode == 0, forced.stderr
    assert asyncio.run(count(database_url, "SELECT count(*) FROM areas")) == 5
