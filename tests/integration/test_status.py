"""`address-lookup status` tells the truth: the version of each dataset live now (addresses;
each area type and set; contacts of each set), and which were replaced, failed or are loading
(running now, or interrupted)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import shapely

from tests.support.abp import address_records, street_records, write_premium
from tests.support.areas import load as load_boundaries
from tests.support.areas import write_boundaries
from tests.support.cli import run_cli
from tests.support.loading import load as load_addresses

SQUARE = shapely.box(470_000, 210_000, 471_000, 211_000)


def _supply(path: Path, houses: int) -> Path:
    rows = street_records(100, "HIGH STREET", "TESTTOWN")
    for uprn in range(1, houses + 1):
        rows += address_records(uprn, number=uprn)
    return write_premium(path, rows)


def _live_now(url: str) -> dict[str, list[str]]:
    """The 'Live now' table's rows, by dataset: its cells as printed."""
    text = run_cli("status", env={"DATABASE_URL": url}).stdout
    table = text.split("Data versions")[0]
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in table.splitlines()]
    return {row[0]: row[1:] for row in cells if row and row[0] and row[0] != "dataset"}


def _statuses(url: str) -> list[tuple[int, str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id, dataset, status FROM data_versions ORDER BY id")
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows.fetchall()]


def test_status_names_the_live_version_of_each_dataset_and_the_fate_of_the_rest(
    database_url: str, tmp_path: Path
) -> None:
    assert load_addresses(database_url, tmp_path, _supply(tmp_path / "a.csv", 5))[0] == 0
    assert load_addresses(database_url, tmp_path, _supply(tmp_path / "b.csv", 6))[0] == 0
    squares = write_boundaries(tmp_path / "p.geojson", {"P1": SQUARE})
    for extra in ((), ("--set", "north")):
        assert load_boundaries(database_url, squares, "parish", *extra).returncode == 0
    empty = write_boundaries(tmp_path / "e.geojson", {"": SQUARE})
    assert load_boundaries(database_url, empty, "parish", "--set", "north").returncode == 1
    assert _statuses(database_url) == [
        (1, "addresses", "replaced"),
        (2, "addresses", "live"),
        (3, "boundaries:parish:default", "live"),
        (4, "boundaries:parish:north", "live"),
        (5, "boundaries:parish:north", "failed"),
    ]
    now = _live_now(database_url)
    assert now["addresses"][:2] == ["2", "premium-full"]
    assert now["addresses"][3:] == ["1", "0", "-"]
    assert now["boundaries:parish:default"][0] == "3"
    assert now["boundaries:parish:north"][0] == "4" and now["boundaries:parish:north"][4] == "1"


def test_status_tells_a_running_load_from_an_interrupted_one(
    database_url: str, tmp_path: Path
) -> None:
    assert load_addresses(database_url, tmp_path, _supply(tmp_path / "a.csv", 5))[0] == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO data_versions (id, dataset, kind, status) "
            "VALUES (99, 'addresses', 'premium', 'loading')"
        )
        assert "99 (interrupted" in _live_now(database_url)["addresses"][5]
        conn.execute("SELECT pg_advisory_lock(hashtext('load:addresses'))")  # as a load holds it
        assert _live_now(database_url)["addresses"][5] == "99 (running now)"
