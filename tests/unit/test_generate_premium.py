"""The generated AddressBase Premium supply, read back the way a loader reads it."""

from __future__ import annotations

import csv
import math
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from loaders.generate.postcodes import is_valid_postcode
from loaders.generate.supply import FullSupplyRequest, write_full_supply
from loaders.ingest.addressbase.layout import PREMIUM_COLUMNS

ADDRESSES = 4000
Row = dict[str, str]


def generate(out_dir: Path, *, seed: int = 7, files: int = 2) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    request = FullSupplyRequest(ADDRESSES, seed, out_dir, "premium", files, False, 20)
    summary = write_full_supply(request)
    return [path for path in summary.files if path.name.startswith("AddressBasePremium")]


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            dict(zip(PREMIUM_COLUMNS[int(fields[0])], fields, strict=True))
            for fields in csv.reader(handle)
        ]


@pytest.fixture(scope="module")
def supply(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("premium"))


@pytest.fixture(scope="module")
def rows(supply: list[Path]) -> list[Row]:
    return [row for path in supply for row in read_rows(path)]


def of_type(rows: list[Row], record_id: str) -> list[Row]:
    return [row for row in rows if row["RECORD_IDENTIFIER"] == record_id]


def test_same_arguments_give_byte_identical_files(tmp_path: Path, supply: list[Path]) -> None:
    again = generate(tmp_path / "again")
    assert [path.name for path in again] == [path.name for path in supply]
    for first, second in zip(supply, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


def test_another_seed_gives_other_addresses(tmp_path: Path, supply: list[Path]) -> None:
    other = generate(tmp_path / "other", seed=8)
    assert other[0].read_bytes() != supply[0].read_bytes()


def test_every_line_has_the_columns_of_its_record_type(supply: list[Path]) -> None:
    for path in supply:
        with path.open(encoding="utf-8", newline="") as handle:
            for fields in csv.reader(handle):
                assert len(fields) == len(PREMIUM_COLUMNS[int(fields[0])]), fields


def test_text_is_quoted_and_numbers_are_bare(supply: list[Path]) -> None:
    lines = supply[0].read_text(encoding="utf-8").splitlines()
    blpu = next(line for line in lines if line.startswith("21,"))
    assert re.match(r'^21,"I",\d+,\d{11},1,', blpu)
    assert re.search(r',"[A-Z]{2}\d{1,2} \d[A-Z]{2}",\d+$', blpu)  # "FX12 3AB",MULTI_OCC_COUNT
    assert ",," in blpu  # empty fields stay empty


def test_each_file_opens_with_a_header_and_ends_with_a_counting_trailer(
    supply: list[Path],
) -> None:
    assert [path.name for path in supply] == [
        "AddressBasePremium_FULL_2026-02-20_001.csv",
        "AddressBasePremium_FULL_2026-02-20_002.csv",
    ]
    for number, path in enumerate(supply, start=1):
        file_rows = read_rows(path)
        header, metadata, trailer = file_rows[0], file_rows[-2], file_rows[-1]
        assert header["RECORD_IDENTIFIER"] == "10" and header["FILE_TYPE"] == "F"
        assert header["VOLUME_NUMBER"] == str(number)
        assert metadata["RECORD_IDENTIFIER"] == "29"
        assert trailer["RECORD_IDENTIFIER"] == "99"
        assert int(trailer["RECORD_COUNT"]) == len(file_rows)
    assert read_rows(supply[-1])[-1]["NEXT_VOLUME_NUMBER"] == "0"


def test_exactly_the_asked_number_of_addresses_with_unique_identifiers(rows: list[Row]) -> None:
    uprns = [row["UPRN"] for row in of_type(rows, "21")]
    assert len(uprns) == ADDRESSES == len(set(uprns))
    assert all(len(uprn) <= 12 for uprn in uprns)
    udprns = [row["UDPRN"] for row in of_type(rows, "28")]
    assert len(udprns) == len(set(udprns)) and all(len(udprn) == 8 for udprn in udprns)
    lpi_keys = [row["LPI_KEY"] for row in of_type(rows, "24")]
    assert len(lpi_keys) == len(set(lpi_keys))
    assert all(re.fullmatch(r"\d{4}L\d{9}", key) for key in lpi_keys)


def test_pro_order_increases_through_the_supply(rows: list[Row]) -> None:
    orders = [int(row["PRO_ORDER"]) for row in rows if "PRO_ORDER" in row]
    assert orders == sorted(orders) and len(orders) == len(set(orders))


def test_every_parent_uprn_is_an_address_of_the_supply(rows: list[Row]) -> None:
    blpus = of_type(rows, "21")
    uprns = {row["UPRN"] for row in blpus}
    children = [row for row in blpus if row["PARENT_UPRN"]]
    assert len(children) > 50
    assert {row["PARENT_UPRN"] for row in children} <= uprns
    occupied = Counter(row["PARENT_UPRN"] for row in children)
    for row in blpus:
        assert int(row["MULTI_OCC_COUNT"]) == occupied.get(row["UPRN"], 0)


def test_every_lpi_street_has_its_street_and_descriptor(rows: list[Row]) -> None:
    streets = {row["USRN"] for row in of_type(rows, "11")}
    descriptors = {row["USRN"]: row for row in of_type(rows, "15")}
    assert {row["USRN"] for row in of_type(rows, "24")} <= streets == set(descriptors)
    assert all(row["LANGUAGE"] == "ENG" and row["TOWN_NAME"] for row in descriptors.values())


def test_records_of_an_address_share_its_file(supply: list[Path]) -> None:
    per_file = [{row["UPRN"] for row in read_rows(path) if "UPRN" in row} for path in supply]
    assert per_file[0] and per_file[1] and not per_file[0] & per_file[1]


def test_postcodes_are_valid_and_clustered(rows: list[Row]) -> None:
    blpus = of_type(rows, "21")
    by_postcode: dict[str, list[Row]] = defaultdict(list)
    for row in blpus:
        assert is_valid_postcode(row["POSTCODE_LOCATOR"]), row["POSTCODE_LOCATOR"]
        by_postcode[row["POSTCODE_LOCATOR"]].append(row)
    sizes = [len(members) for members in by_postcode.values()]
    assert 10 <= statistics.median(sizes) <= 40
    assert max(sizes) <= 80
    spreads = [_spread(members) for members in by_postcode.values()]
    assert statistics.median(spreads) < 300  # metres from the unit's middle


def _spread(members: list[Row]) -> float:
    xs = [float(row["X_COORDINATE"]) for row in members]
    ys = [float(row["Y_COORDINATE"]) for row in members]
    mid_x, mid_y = statistics.fmean(xs), statistics.fmean(ys)
    return max(math.hypot(x - mid_x, y - mid_y) for x, y in zip(xs, ys, strict=True))


def test_postcodes_of_one_district_share_a_post_town(rows: list[Row]) -> None:
    post_towns: dict[str, set[str]] = defaultdict(set)
    for row in of_type(rows, "28"):
        post_towns[row["POSTCODE"].split()[0]].add(row["POST_TOWN"])
    assert all(len(towns) == 1 for towns in post_towns.values())


def test_house_numbers_come_in_every_form_a_resident_writes(rows: list[Row]) -> None:
    lpis = of_type(rows, "24")
    assert any(row["PAO_START_SUFFIX"] for row in lpis)  # 12A
    assert any(row["PAO_END_NUMBER"] for row in lpis)  # 12-14
    assert any(row["PAO_TEXT"] and not row["PAO_START_NUMBER"] for row in lpis)  # ROSE COTTAGE
    assert any(row["PAO_TEXT"] and row["PAO_START_NUMBER"] for row in lpis)
    assert any(row["SAO_START_NUMBER"] for row in lpis)
    assert any(row["SAO_TEXT"].startswith(("FLAT", "APARTMENT")) for row in lpis)
    odd = [int(r["PAO_START_NUMBER"]) % 2 for r in lpis if r["PAO_START_NUMBER"]]
    assert 0.3 < sum(odd) / len(odd) < 0.7


def test_royal_mail_form_follows_paf_rules(rows: list[Row]) -> None:
    lpis = {row["UPRN"]: row for row in of_type(rows, "24") if row["LOGICAL_STATUS"] == "1"}
    for point in of_type(rows, "28"):
        lpi = lpis[point["UPRN"]]
        if lpi["PAO_START_SUFFIX"] and not lpi["PAO_TEXT"]:
            assert point["BUILDING_NAME"] == lpi["PAO_START_NUMBER"] + lpi["PAO_START_SUFFIX"]
            assert point["BUILDING_NUMBER"] == ""
        if lpi["SAO_START_NUMBER"] and not lpi["SAO_TEXT"] and not lpi["SAO_START_SUFFIX"]:
            assert point["SUB_BUILDING_NAME"] == f"FLAT {lpi['SAO_START_NUMBER']}"


def test_villages_have_a_post_town_that_is_another_town(rows: list[Row]) -> None:
    towns = {row["USRN"]: row["TOWN_NAME"] for row in of_type(rows, "15")}
    lpi_usrn = {row["UPRN"]: row["USRN"] for row in of_type(rows, "24")}
    differing = [
        point
        for point in of_type(rows, "28")
        if point["POST_TOWN"] != towns[lpi_usrn[point["UPRN"]]]
    ]
    assert differing and all(point["DEPENDENT_LOCALITY"] for point in differing)


def test_some_addresses_are_not_postal(rows: list[Row]) -> None:
    blpus = of_type(rows, "21")
    postal = Counter(row["ADDRESSBASE_POSTAL"] for row in blpus)
    assert postal["D"] > 0.8 * ADDRESSES and postal["N"] > 0 and postal["L"] > 0
    with_delivery = {row["UPRN"] for row in of_type(rows, "28")}
    assert all(
        row["UPRN"] not in with_delivery for row in blpus if row["ADDRESSBASE_POSTAL"] == "N"
    )


def test_statuses_agree_between_blpu_and_lpi(rows: list[Row]) -> None:
    statuses = Counter(row["LOGICAL_STATUS"] for row in of_type(rows, "21"))
    assert statuses["1"] > 0.9 * ADDRESSES and statuses["6"] and statuses["8"]
    blpu_status = {row["UPRN"]: row["LOGICAL_STATUS"] for row in of_type(rows, "21")}
    for lpi in of_type(rows, "24"):
        assert lpi["LOGICAL_STATUS"] in (blpu_status[lpi["UPRN"]], "8")


def test_classifications_use_the_real_scheme(rows: list[Row]) -> None:
    classes = of_type(rows, "32")
    assert len(classes) == ADDRESSES
    codes = Counter(row["CLASSIFICATION_CODE"] for row in classes)
    assert {"RD02", "RD03", "RD04", "RD06", "PP", "CR08"} <= set(codes)
    assert {row["CLASS_SCHEME"] for row in classes} == {"AddressBase Premium Classification Scheme"}


def test_organisations_appear_in_both_forms(rows: list[Row]) -> None:
    organisations = {row["UPRN"]: row["ORGANISATION"] for row in of_type(rows, "31")}
    postal = {row["UPRN"]: row["ORGANISATION_NAME"] for row in of_type(rows, "28")}
    assert len(organisations) > 20
    assert sum(postal.get(uprn) == name for uprn, name in organisations.items()) > 10


def test_the_same_street_name_is_found_in_several_towns(rows: list[Row]) -> None:
    towns_by_name: dict[str, set[str]] = defaultdict(set)
    for row in of_type(rows, "15"):
        towns_by_name[row["STREET_DESCRIPTION"]].add(row["TOWN_NAME"])
    assert max(len(towns) for towns in towns_by_name.values()) >= 3


def test_coordinates_are_on_land_in_england_with_matching_lat_long(rows: list[Row]) -> None:
    for row in of_type(rows, "21")[::97]:
        x, y = float(row["X_COORDINATE"]), float(row["Y_COORDINATE"])
        assert 380_000 < x < 520_000 and 190_000 < y < 310_000
        assert 51.8 < float(row["LATITUDE"]) < 52.6 and -2.3 < float(row["LONGITUDE"]) < -0.3
