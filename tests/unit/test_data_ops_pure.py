"""The pure parts of data operations: the replacement guards, reading Code-Point Open and
ONSPD rows, and reading a Modern.Gov GetCouncillorsByWard answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.core.guards import ReplaceLimits, check_replacement
from loaders.core.swap import lock_order
from loaders.errors import CliError
from loaders.ingest.areas.modgov import councillors, ward_key
from loaders.ingest.postcode_points import (
    OnspdColumns,
    PostcodePoint,
    codepoint_point,
    file_kind,
)

FIXTURE = Path(__file__).parents[1] / "integration" / "fixtures" / "modgov_councillors_by_ward.xml"
CODEPOINT_ROW = [
    "HP178AA",
    "10",
    "474171",
    "208244",
    "E92000001",
    "E19000002",
    "E18000009",
    "E10000002",
    "E07000004",
    "E05002609",
]


@pytest.mark.parametrize(
    ("before", "after", "refused"),
    [
        (100, 90, None),
        (100, 89, "from 100 to 89 (11.0% fewer)"),
        (5, 0, "5 live rows with none"),
        (0, 0, None),
        (10, 20, None),
    ],
)
def test_a_load_may_not_empty_or_shrink_live_data_past_the_limit(
    before: int, after: int, refused: str | None
) -> None:
    if refused is None:
        check_replacement("rows", before, after, ReplaceLimits())
        return
    with pytest.raises(CliError, match=refused.replace("(", r"\(").replace(")", r"\)")):
        check_replacement("rows", before, after, ReplaceLimits())
    check_replacement("rows", before, after, ReplaceLimits(force=True))


def test_the_swap_locks_every_table_and_copy_in_one_order_whatever_it_is_given() -> None:
    order = ["addresses", "addresses_next", "postcodes", "postcodes_next"]
    assert lock_order(["postcodes", "addresses"]) == order
    assert lock_order(["addresses", "postcodes", "addresses"]) == order


def test_a_codepoint_row_becomes_a_point_and_one_without_position_is_refused() -> None:
    assert codepoint_point(CODEPOINT_ROW) == PostcodePoint(
        "HP178AA", "HP17 8AA", 474171.0, 208244.0, 10, "codepoint"
    )
    assert codepoint_point(["HP178AB", "90", "0", "0", *CODEPOINT_ROW[4:]]) == (
        "no position (positional quality 90)"
    )
    assert "not a UK postcode" in str(codepoint_point(["NOPE", *CODEPOINT_ROW[1:]]))
    assert file_kind(CODEPOINT_ROW) == "codepoint"
    assert file_kind(["PC", "PQ", "EA", "NO", "CY", "RH", "LH", "CC", "DC", "WC"]) is None


def test_an_onspd_row_is_read_by_its_header_and_terminated_postcodes_are_left_out() -> None:
    header = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oseast1m", "osnrth1m", "lat"]
    assert file_kind(header) == "onspd"
    columns = OnspdColumns.from_header(header)
    live = ["HP178AA", "HP17 8AA", "HP17 8AA", "198001", "", "474171", "208244", "51.7"]
    assert columns.point(live) == PostcodePoint(
        "HP178AA", "HP17 8AA", 474171.0, 208244.0, None, "onspd"
    )
    assert columns.point([*live[:4], "200012", *live[5:]]) is None
    assert "no British National Grid position" in str(columns.point([*live[:5], "", "", "51.7"]))


def test_modgov_councillors_carry_work_details_only() -> None:
    found = list(councillors(FIXTURE.read_bytes()))
    assert [(c.ward, c.name, c.email, c.phone) for c in found] == [
        (
            "Altrincham",
            "Councillor Ann Example",
            "ann.example@trafford.example.gov.uk",
            "0161 912 1212",
        ),
        (
            "Altrincham",
            "Councillor Bob Sample",
            "bob.sample@trafford.example.gov.uk",
            "07700 900102",
        ),
        (
            "Bowdon Ward",
            "Councillor Cai Placeholder",
            "cai.placeholder@trafford.example.gov.uk",
            "",
        ),
        ("Nowhere Park", "Councillor Dee Unplaced", "dee.unplaced@trafford.example.gov.uk", ""),
    ]
    assert ward_key("Bowdon  Ward") == ward_key("bowdon") == "bowdon"


def test_xml_of_another_kind_is_refused_with_what_it_should_be() -> None:
    with pytest.raises(CliError, match="not <councillorsbyward>"):
        list(councillors(b"<committees/>"))
    with pytest.raises(CliError, match="not XML"):
        list(councillors(b"<councillorsbyward>"))
