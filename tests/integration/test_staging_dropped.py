"""A load leaves no staging behind: the staged input (every record as text, about 0.67 GB a
million Premium addresses) is dropped once the load has succeeded, for every loader."""

from __future__ import annotations

from pathlib import Path

from tests.support.abp import address_records, street_records, write_premium
from tests.support.cli import run_cli
from tests.support.loading import fetch, load

STAGED = """
SELECT relname FROM pg_class
WHERE relname LIKE '%stage%' AND relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace
"""


async def test_a_premium_load_and_its_change_only_update_leave_no_staging(
    database_url: str, tmp_path: Path
) -> None:
    rows = street_records(100, "HIGH STREET", "TESTTOWN")
    for uprn in (1, 2, 3):
        rows += address_records(uprn, number=uprn)
    code, _, err = load(database_url, tmp_path, write_premium(tmp_path / "a.csv", rows))
    assert code == 0, err
    assert await fetch(database_url, STAGED) == []
    changes = address_records(4, number=4, change_type="I")
    supply = write_premium(tmp_path / "cou.csv", changes, file_type="C")
    code, _, err = load(database_url, tmp_path, supply)
    assert code == 0, err
    assert [
        r["uprn"] for r in await fetch(database_url, "SELECT uprn FROM addresses ORDER BY uprn")
    ] == [
        1,
        2,
        3,
        4,
    ]
    assert await fetch(database_url, STAGED) == []


async def test_a_plain_csv_load_leaves_no_staging(database_url: str, tmp_path: Path) -> None:
    supply = tmp_path / "addresses.csv"
    supply.write_text("uprn,address,postcode,x,y\n1,1 HIGH STREET TESTTOWN,FX1 1AA,400000,300000\n")
    done = run_cli(
        "load",
        "csv",
        str(supply),
        "--rejects-dir",
        str(tmp_path / "rejects"),
        env={"DATABASE_URL": database_url},
    )
    assert done.returncode == 0, done.stderr
    assert await fetch(database_url, STAGED) == []
