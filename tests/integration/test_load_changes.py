"""Change-only updates (Premium and Plus) and AddressBase Plus supplies, through the CLI."""

from __future__ import annotations

from pathlib import Path

from tests.support.abp import (
    address_records,
    plus_row,
    premium_row,
    street_records,
    write_plus,
    write_premium,
)
from tests.support.loading import fetch, load, rejects


async def _load_base(database_url: str, tmp_path: Path) -> None:
    rows = street_records(100, "HIGH STREET") + street_records(200, "MILL LANE")
    for uprn in range(1, 6):
        rows += address_records(uprn, number=uprn)
    code, _, err = load(database_url, tmp_path, write_premium(tmp_path / "full.csv", rows))
    assert code == 0, err


async def test_inserts_updates_and_deletes_apply_in_pro_order(
    database_url: str, tmp_path: Path
) -> None:
    await _load_base(database_url, tmp_path)
    changes = [
        *address_records(6, number=6, postcode="FX1 1AB"),  # a new house in a new postcode
        premium_row(
            28,
            "U",
            5,
            UPRN=2,
            UDPRN=10_000_002,
            BUILDING_NAME="ROSE COTTAGE",
            BUILDING_NUMBER=2,
            THOROUGHFARE="HIGH STREET",
            POST_TOWN="TESTTOWN",
            POSTCODE="FX1 1AA",
        ),
        premium_row(21, "D", 7, UPRN=3, X_COORDINATE=1, Y_COORDINATE=1),
        premium_row(24, "D", 8, UPRN=3, LPI_KEY="9999L000000003"),
        premium_row(28, "D", 9, UPRN=3, UDPRN=10_000_003),
        premium_row(32, "D", 10, UPRN=3, CLASS_KEY="9999C000000003", CLASSIFICATION_CODE="RD04"),
        # the same LPI changed twice: the later PRO_ORDER wins
        premium_row(24, "U", 12, UPRN=4, LPI_KEY="9999L000000004", PAO_START_NUMBER=40, USRN=200),
        premium_row(
            24,
            "U",
            11,
            UPRN=4,
            LPI_KEY="9999L000000004",
            PAO_START_NUMBER=4,
            PAO_TEXT="OLD",
            USRN=100,
        ),
    ]
    code, out, err = load(
        database_url, tmp_path, write_premium(tmp_path / "cou.csv", changes, file_type="C")
    )
    assert code == 0, err
    assert "premium-change-only" in out
    rows = {r["uprn"]: r for r in await fetch(database_url, "SELECT * FROM addresses")}
    assert sorted(rows) == [1, 2, 4, 5, 6]
    assert rows[2]["address"] == "ROSE COTTAGE, 2, HIGH STREET, TESTTOWN, FX1 1AA"
    assert rows[4]["lpi_address"] == "40, MILL LANE, TESTTOWN, TESTSHIRE, FX1 1AA"
    assert rows[6]["postcode"] == "FX1 1AB"
    postcodes = {
        r["postcode"]: r["address_count"]
        for r in await fetch(database_url, "SELECT * FROM postcodes")
    }
    assert postcodes == {"FX1 1AA": 4, "FX1 1AB": 1}


async def test_changes_that_cannot_apply_are_refused(database_url: str, tmp_path: Path) -> None:
    await _load_base(database_url, tmp_path)
    changes = [
        premium_row(21, "D", 1, UPRN=999, X_COORDINATE=1, Y_COORDINATE=1),
        premium_row(21, "I", 2, UPRN=1, X_COORDINATE=1, Y_COORDINATE=1),
        *address_records(6, number=6),
    ]
    supply = write_premium(tmp_path / "cou.csv", changes, file_type="C")
    code, _, err = load(database_url, tmp_path, supply, extra=("--max-reject-rate", "0.5"))
    assert code == 0, err
    reasons = {int(r["line"]): r["reason"] for r in rejects(tmp_path)}
    assert reasons == {
        2: "delete of a record not in the data (UPRN 999)",
        3: "insert of a record already in the data (UPRN 1)",
    }
    uprns = {r["uprn"] for r in await fetch(database_url, "SELECT uprn FROM addresses")}
    assert uprns == {1, 2, 3, 4, 5, 6}


async def test_applying_an_update_twice_is_refused(database_url: str, tmp_path: Path) -> None:
    await _load_base(database_url, tmp_path)
    supply = write_premium(tmp_path / "cou.csv", address_records(6), file_type="C")
    assert load(database_url, tmp_path, supply)[0] == 0
    code, _, err = load(database_url, tmp_path, supply)
    assert code == 1
    assert "more than --max-reject-rate" in err


async def test_a_change_only_update_needs_a_full_supply_first(
    database_url: str, tmp_path: Path
) -> None:
    supply = write_premium(tmp_path / "cou.csv", address_records(6), file_type="C")
    code, _, err = load(database_url, tmp_path, supply)
    assert code == 1
    assert "load a full supply first" in err


async def test_mode_must_match_the_supply(database_url: str, tmp_path: Path) -> None:
    supply = write_premium(tmp_path / "cou.csv", address_records(6), file_type="C")
    code, _, err = load(database_url, tmp_path, supply, extra=("--mode", "full"))
    assert code == 1
    assert "--mode full was given but the supply is change-only" in err


def _plus_house(uprn: int, change_type: str = "I", **values: object) -> list[str]:
    return plus_row(
        change_type,
        UPRN=uprn,
        UDPRN=20_000_000 + uprn,
        BUILDING_NUMBER=uprn,
        PAO_START_NUMBER=uprn,
        POSTCODE="FX2 1AA",
        POSTCODE_LOCATOR="FX2 1AA",
        **values,
    )


async def test_plus_full_then_change_only(database_url: str, tmp_path: Path) -> None:
    full = write_plus(tmp_path / "plus.csv", [_plus_house(n) for n in range(1, 5)])
    code, out, err = load(database_url, tmp_path, full)
    assert code == 0, err
    assert "plus-full" in out
    [first] = await fetch(database_url, "SELECT * FROM addresses WHERE uprn = 1")
    assert first["address"] == "1, HIGH STREET, TESTTOWN, FX2 1AA"
    assert first["source"] == "plus"
    changes = [
        _plus_house(2, "D"),
        _plus_house(3, "U", BUILDING_NAME="THE OLD FORGE"),
        _plus_house(9),
    ]
    code, out, err = load(
        database_url, tmp_path, write_plus(tmp_path / "cou.csv", changes, header=False)
    )
    assert code == 0, err
    assert "plus-change-only" in out
    rows = {r["uprn"]: r["address"] for r in await fetch(database_url, "SELECT * FROM addresses")}
    assert sorted(rows) == [1, 3, 4, 9]
    assert rows[3] == "THE OLD FORGE, 3, HIGH STREET, TESTTOWN, FX2 1AA"
    [postcode] = await fetch(database_url, "SELECT address_count FROM postcodes")
    assert postcode["address_count"] == 4


async def test_plus_row_with_wrong_width_is_refused(database_url: str, tmp_path: Path) -> None:
    rows = [_plus_house(n) for n in range(1, 400)] + [_plus_house(500)[:-2]]
    code, _, err = load(
        database_url,
        tmp_path,
        write_plus(tmp_path / "plus.csv", rows),
        extra=("--max-reject-rate", "0.01"),
    )
    assert code == 0, err
    [refused] = rejects(tmp_path)
    assert refused["line"] == "401"
    assert "a Plus row has 77 columns; this one has 75" in refused["reason"]


def _deletion_of(uprn: int, pro_order: int) -> list[list[str]]:
    """The change records that delete a plain house of address_records."""
    return [
        premium_row(21, "D", pro_order, UPRN=uprn, X_COORDINATE=1, Y_COORDINATE=1),
        premium_row(24, "D", pro_order + 1, UPRN=uprn, LPI_KEY=f"9999L{uprn:09d}"),
        premium_row(28, "D", pro_order + 2, UPRN=uprn, UDPRN=10_000_000 + uprn),
        premium_row(
            32,
            "D",
            pro_order + 3,
            UPRN=uprn,
            CLASS_KEY=f"9999C{uprn:09d}",
            CLASSIFICATION_CODE="RD04",
        ),
    ]


async def test_a_change_only_update_that_deletes_too_much_is_refused_unless_forced(
    database_url: str, tmp_path: Path
) -> None:
    await _load_base(database_url, tmp_path)
    changes = write_premium(
        tmp_path / "cou.csv", [*_deletion_of(3, 1), *_deletion_of(4, 5)], file_type="C"
    )
    code, _, err = load(database_url, tmp_path, changes)
    assert code == 1
    assert "would take the live addresses from 5 to 3 (40.0% fewer)" in " ".join(err.split())
    assert len(await fetch(database_url, "SELECT uprn FROM addresses")) == 5, "rolled back"
    code, _, err = load(database_url, tmp_path, changes, extra=("--force",))
    assert code == 0, err
    assert len(await fetch(database_url, "SELECT uprn FROM addresses")) == 3
