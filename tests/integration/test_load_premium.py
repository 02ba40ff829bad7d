"""Loading AddressBase Premium through the CLI, exactly as an operator does, on a real PostGIS."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.support.abp import address_records, premium_row, street_records, write_premium
from tests.support.cli import run_cli
from tests.support.loading import fetch, load, rejects


def _supply(houses: int = 5) -> list[list[str]]:
    rows = street_records(100, "HIGH STREET", "TESTTOWN")
    for uprn in range(1, houses + 1):
        rows += address_records(uprn, number=uprn)
    return rows


async def test_full_supply_builds_one_address_per_uprn(database_url: str, tmp_path: Path) -> None:
    rows = _supply(3)
    rows.append(premium_row(31, UPRN=2, ORG_KEY="9999O2", ORGANISATION="ACME LTD"))
    code, out, err = load(database_url, tmp_path, write_premium(tmp_path / "a.csv", rows))
    assert code == 0, err
    assert "premium-full" in out
    assert "rows/s, ETA" in out, "off a terminal, progress comes as plain lines"
    addresses = await fetch(database_url, "SELECT * FROM addresses ORDER BY uprn")
    assert [a["uprn"] for a in addresses] == [1, 2, 3]
    assert addresses[0]["address"] == "1, HIGH STREET, TESTTOWN, FX1 1AA"
    assert addresses[1]["lpi_address"] == "ACME LTD, 2, HIGH STREET, TESTTOWN, TESTSHIRE, FX1 1AA"
    assert addresses[0]["classification_code"] == "RD04"
    assert addresses[0]["postcode_key"] == "FX11AA"
    assert 52 < addresses[0]["lat"] < 53, "WGS84 computed from BNG when the file has none"
    postcode = (await fetch(database_url, "SELECT * FROM postcodes"))[0]
    assert (postcode["postcode"], postcode["address_count"]) == ("FX1 1AA", 3)


async def test_every_load_is_a_data_version_with_checksums(
    database_url: str, tmp_path: Path
) -> None:
    supply = write_premium(tmp_path / "a.csv", _supply(2))
    assert load(database_url, tmp_path, supply)[0] == 0
    version = (await fetch(database_url, "SELECT * FROM data_versions"))[0]
    assert version["status"] == "live"
    assert version["kind"] == "premium-full"
    assert "sha256" in version["source_files"]
    status = run_cli("status", env={"DATABASE_URL": database_url})
    assert "premium-full" in status.stdout
    assert "live" in status.stdout


async def test_a_new_full_supply_replaces_the_old(database_url: str, tmp_path: Path) -> None:
    assert load(database_url, tmp_path, write_premium(tmp_path / "a.csv", _supply(5)))[0] == 0
    rows = street_records() + address_records(7, number=7)
    refused = load(database_url, tmp_path, write_premium(tmp_path / "b.csv", rows))
    assert refused[0] == 1 and "from 5 to 1 (80.0% fewer)" in refused[2], "the shrink guard"
    forced = load(database_url, tmp_path, tmp_path / "b.csv", extra=("--force",))
    assert forced[0] == 0, forced[2]
    uprns = [r["uprn"] for r in await fetch(database_url, "SELECT uprn FROM addresses")]
    assert uprns == [7]
    leftovers = await fetch(
        database_url, "SELECT tablename FROM pg_tables WHERE tablename ~ '_(next|old)$'"
    )
    assert leftovers == []


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (
            premium_row(21, UPRN="12AB", X_COORDINATE=1, Y_COORDINATE=1),
            "UPRN is not a whole number: '12AB'",
        ),
        (premium_row(21, UPRN=77)[:-3], "has 22 columns; this row has 19"),
        (["42", "I", "1", "5"], "unknown record type '42'"),
        (premium_row(21, UPRN=1, X_COORDINATE=2, Y_COORDINATE=2), "duplicate UPRN 1"),
        (premium_row(24, UPRN=555, LPI_KEY="X1"), "no BLPU (record 21) has UPRN 555"),
        (premium_row(21, UPRN=88, START_DATE="2023-13-45"), "START_DATE is not a date"),
        (
            premium_row(28, UPRN=2, UDPRN=5, CHANGE_TYPE="U"),
            "CHANGE_TYPE in a full supply must be I",
        ),
    ],
)
async def test_a_bad_row_is_refused_with_its_line_and_reason(
    database_url: str, tmp_path: Path, bad_row: list[str], reason: str
) -> None:
    rows = _supply(400)
    bad_line = len(rows) + 2  # after the header record
    supply = write_premium(tmp_path / "a.csv", [*rows, bad_row])
    code, _, err = load(database_url, tmp_path, supply, extra=("--max-reject-rate", "0.01"))
    assert code == 0, err
    [refused] = rejects(tmp_path)
    assert refused["file"].endswith("a.csv")
    assert int(refused["line"]) == bad_line
    assert reason in refused["reason"]
    assert (await fetch(database_url, "SELECT count(*) FROM addresses"))[0][0] == 400


async def test_too_many_bad_rows_change_nothing(database_url: str, tmp_path: Path) -> None:
    assert load(database_url, tmp_path, write_premium(tmp_path / "a.csv", _supply(3)))[0] == 0
    bad = [premium_row(21, UPRN=f"X{n}") for n in range(5)]
    code, _, err = load(database_url, tmp_path, write_premium(tmp_path / "b.csv", _supply(2) + bad))
    assert code == 1
    assert "more than --max-reject-rate" in err
    assert "live data is unchanged" in err
    assert len(rejects(tmp_path)) == 5
    assert (await fetch(database_url, "SELECT count(*) FROM addresses"))[0][0] == 3
    statuses = [
        r["status"]
        for r in await fetch(database_url, "SELECT status FROM data_versions ORDER BY id")
    ]
    assert statuses == ["live", "failed"]


async def test_a_truncated_file_is_refused_unless_allowed(
    database_url: str, tmp_path: Path
) -> None:
    supply = write_premium(tmp_path / "a.csv", _supply(300), trailer=False)
    data = supply.read_bytes()
    supply.write_bytes(data[: len(data) - 25])  # cut the last line mid-way
    code, _, err = load(database_url, tmp_path, supply)
    assert code == 1
    assert "no trailer record" in err
    assert "--allow-truncated" in err
    code, _, err = load(database_url, tmp_path, supply, extra=("--allow-truncated",))
    assert code == 0, err
    [refused] = rejects(tmp_path)
    assert "columns; this row has" in refused["reason"]


async def test_latin1_crlf_and_bom_are_read(database_url: str, tmp_path: Path) -> None:
    rows = street_records(100, "CAFÉ ROW", "TESTTOWN") + address_records(1, thoroughfare="CAFÉ ROW")
    supply = write_premium(tmp_path / "a.csv", rows, line_ending="\r\n", encoding="latin-1")
    supply.write_bytes(b"\xef\xbb\xbf" + supply.read_bytes())
    code, out, err = load(database_url, tmp_path, supply)
    assert code == 0, err
    assert "read as Latin-1" in out
    [address] = await fetch(database_url, "SELECT address, street_description FROM addresses")
    assert address["address"] == "1, CAFÉ ROW, TESTTOWN, FX1 1AA"
    assert address["street_description"] == "CAFÉ ROW"


async def test_zips_folders_and_globs(database_url: str, tmp_path: Path) -> None:
    first = write_premium(tmp_path / "part1.csv", street_records() + address_records(1))
    second = write_premium(tmp_path / "part2.csv", address_records(2))
    archive = tmp_path / "supply" / "supply.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(first, "part1.csv")
        bundle.write(second, "part2.csv")
        bundle.writestr("readme.txt", "not data")
    code, out, err = load(database_url, tmp_path, archive.parent)
    assert code == 0, err
    assert "skipped" in out and "readme.txt" in out
    assert (await fetch(database_url, "SELECT count(*) FROM addresses"))[0][0] == 2


async def test_an_empty_file_is_flagged(database_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, _, err = load(database_url, tmp_path, empty)
    assert code == 1
    assert "empty" in err


def test_missing_path_is_one_clear_line(database_url: str, tmp_path: Path) -> None:
    code, _, err = load(database_url, tmp_path, tmp_path / "nope.csv")
    assert code == 1
    assert (
        err.strip()
        == f"error: {tmp_path / 'nope.csv'} does not exist; give a file, a folder, a glob or a zip"
    )
