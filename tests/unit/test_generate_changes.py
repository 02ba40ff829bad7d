"""A change-only supply against a generated full supply, checked against that full supply."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from loaders.generate.changes import ChangeRequest, write_change_supply
from loaders.generate.manifest import full_supply_recipe
from loaders.generate.supply import FullSupplyRequest, write_full_supply
from loaders.ingest.addressbase.layout import PREMIUM_COLUMNS

CHANGES = 80
Row = dict[str, str]


def read_rows(folder: Path) -> list[Row]:
    rows = []
    for path in sorted(folder.glob("AddressBasePremium_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for fields in csv.reader(handle):
                rows.append(dict(zip(PREMIUM_COLUMNS[int(fields[0])], fields, strict=True)))
    return rows


def write_changes(base: Path, out_dir: Path, seed: int = 5) -> Path:
    out_dir.mkdir()
    write_change_supply(ChangeRequest(full_supply_recipe(base), seed, CHANGES, out_dir, 1, False))
    return out_dir


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("full")
    write_full_supply(FullSupplyRequest(5000, 21, folder, "premium", 1, False, 15))
    return folder


@pytest.fixture(scope="module")
def change_dir(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_changes(base, tmp_path_factory.mktemp("cou") / "out")


@pytest.fixture(scope="module")
def changes(change_dir: Path) -> list[Row]:
    return read_rows(change_dir)


@pytest.fixture(scope="module")
def manifest(change_dir: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((change_dir / "manifest.json").read_text())
    return document


@pytest.fixture(scope="module")
def full_uprns(base: Path) -> set[str]:
    return {row["UPRN"] for row in read_rows(base) if row["RECORD_IDENTIFIER"] == "21"}


def test_change_only_files_say_so(change_dir: Path, changes: list[Row]) -> None:
    (path,) = change_dir.glob("*.csv")
    assert path.name == "AddressBasePremium_COU_2026-07-10_001.csv"
    assert changes[0]["FILE_TYPE"] == "C"
    assert int(changes[-1]["RECORD_COUNT"]) == len(changes)


def test_all_three_kinds_of_change_are_there(manifest: dict[str, Any]) -> None:
    listed = manifest["changes"]
    counts = [len(listed[f"{kind}_uprns"]) for kind in ("inserted", "updated", "deleted")]
    assert all(count > 0 for count in counts)
    assert sum(counts) == CHANGES


def test_deletes_remove_whole_addresses_of_the_full_supply(
    changes: list[Row], manifest: dict[str, Any], full_uprns: set[str]
) -> None:
    deleted = {str(uprn) for uprn in manifest["changes"]["deleted_uprns"]}
    assert deleted <= full_uprns
    deleted_types: dict[str, set[str]] = defaultdict(set)
    for row in changes:
        if row.get("CHANGE_TYPE") == "D" and row["UPRN"] in deleted:
            deleted_types[row["UPRN"]].add(row["RECORD_IDENTIFIER"])
    assert all({"21", "24", "32"} <= deleted_types[uprn] for uprn in deleted)


def test_inserts_are_new_addresses_with_their_records(
    changes: list[Row], manifest: dict[str, Any], full_uprns: set[str]
) -> None:
    inserted = {str(uprn) for uprn in manifest["changes"]["inserted_uprns"]}
    assert not inserted & full_uprns
    blpus = {row["UPRN"] for row in changes if row["RECORD_IDENTIFIER"] == "21"}
    lpis = {row["UPRN"] for row in changes if row["RECORD_IDENTIFIER"] == "24"}
    assert inserted <= blpus and inserted <= lpis
    for row in changes:
        if row.get("UPRN") in inserted and row["RECORD_IDENTIFIER"] in ("21", "32"):
            assert row["CHANGE_TYPE"] == "I"


def test_updates_change_addresses_of_the_full_supply(
    changes: list[Row], manifest: dict[str, Any], full_uprns: set[str]
) -> None:
    updated = {str(uprn) for uprn in manifest["changes"]["updated_uprns"]}
    assert updated <= full_uprns
    update_rows = [row for row in changes if row.get("CHANGE_TYPE") == "U"]
    assert {row["UPRN"] for row in update_rows} == updated
    assert len(manifest["changes"]["update_kinds"]) >= 2


def test_pro_order_increases_in_processing_order(changes: list[Row]) -> None:
    orders = [int(row["PRO_ORDER"]) for row in changes if "PRO_ORDER" in row]
    assert orders == list(range(1, len(orders) + 1))


def test_same_arguments_give_the_same_change_supply(
    base: Path, change_dir: Path, tmp_path: Path
) -> None:
    again = write_changes(base, tmp_path / "again")
    assert (again / "manifest.json").read_bytes() == (change_dir / "manifest.json").read_bytes()
    other = write_changes(base, tmp_path / "other", seed=6)
    assert (other / "manifest.json").read_bytes() != (change_dir / "manifest.json").read_bytes()


def test_manifest_names_the_full_supply_it_changes(manifest: dict[str, Any]) -> None:
    assert manifest["supply"] == "change-only"
    assert manifest["base"] == {
        "seed": 21,
        "addresses": 5000,
        "parishes": 15,
        "supply_date": "2026-05-29",
    }
