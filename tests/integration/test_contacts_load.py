"""`address-lookup load contacts` as an operator runs it: checked rows, rejects with their line
numbers, a warning for contacts whose area is not loaded, and a replacement of the whole list."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import asyncpg
import shapely

from tests.support.areas import load, write_boundaries
from tests.support.cli import run_cli

HEADER = "area_code,area_type,name,role,email,phone,url\n"


def load_contacts(url: str, path: Path, *extra: str) -> Any:
    rejects_dir = str(path.parent / "rejects")
    return run_cli(
        "load",
        "contacts",
        str(path),
        "--rejects-dir",
        rejects_dir,
        *extra,
        env={"DATABASE_URL": url},
    )


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


async def contacts_in(url: str) -> list[tuple[str, str | None, int]]:
    conn = await asyncpg.connect(url)
    try:
        found = await conn.fetch("SELECT area_code, email, line FROM area_contacts ORDER BY line")
    finally:
        await conn.close()
    return [(row["area_code"], row["email"], row["line"]) for row in found]


async def test_good_rows_load_and_bad_rows_are_rejected_with_line_numbers(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER
        + "E04001490,,Jane Smith,Parish Clerk,clerk@haddenham.org.uk,01844 123456,"
        + "https://haddenham.org.uk\n"
        + ",,No Code,Clerk,a@b.org,,\n"
        + 'E04001491,,"Sam\nJones",Clerk,not-an-email,,\n'
        + "E04001492,parish,Lee Ray,Clerk,lee@example.org,12,\n"
        + "E04001493,,Ann Bell,Chair,,,\n",
    )
    done = load_contacts(database_url, path, "--max-reject-rate", "1")
    assert done.returncode == 0, done.stderr
    assert "rejects: 3 rows" in done.stdout
    [rejects] = (tmp_path / "rejects").glob("contacts-default-v*.csv")
    with rejects.open() as handle:
        rejected = [(row["line"], row["reason"]) for row in csv.DictReader(handle)]
    assert rejected == [
        ("3", "area_code is empty"),
        ("4", "bad email 'not-an-email'"),
        ("6", "bad phone '12'"),
    ]
    assert await contacts_in(database_url) == [
        ("E04001490", "clerk@haddenham.org.uk", 2),
        ("E04001493", None, 7),
    ]


async def test_contacts_whose_area_is_not_loaded_are_kept_with_a_warning(
    database_url: str, tmp_path: Path
) -> None:
    square = shapely.box(470_000, 210_000, 471_000, 211_000)
    load(database_url, write_boundaries(tmp_path / "p.geojson", {"E04001490": square}), "parish")
    path = write_csv(
        tmp_path / "contacts.csv",
        HEADER + "E04001490,,Jane Smith,,,,\nE04009999,,Ann Bell,,,,\n",
    )
    done = load_contacts(database_url, path)
    assert done.returncode == 0, done.stderr
    assert "warning: 1 area codes have no loaded area yet: E04009999" in done.stdout
    assert [code for code, _, _ in await contacts_in(database_url)] == ["E04001490", "E04009999"]


async def test_a_new_load_replaces_every_contact(database_url: str, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "one.csv", HEADER + "A1,,Jane Smith,,,,\nA2,,Ann Bell,,,,\n")
    second = write_csv(tmp_path / "two.csv", HEADER + "B1,,Lee Ray,,lee@example.org,,\n")
    assert load_contacts(database_url, first).returncode == 0
    assert load_contacts(database_url, second, "--force").returncode == 0  # 2 to 1: --force
    assert await contacts_in(database_url) == [("B1", "lee@example.org", 2)]


async def test_a_csv_without_an_area_code_column_is_refused_in_one_line(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "contacts.csv", "code,name\nE04001490,Jane Smith\n")
    done = load_contacts(database_url, path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: the contacts CSV needs an area_code column")
    assert len(done.stderr.strip().splitlines()) == 1
