"""Folding, postcodes and abbreviations: the pure text stages shared by index and query."""

from __future__ import annotations

import pytest

from service.postcodes.parse import (
    find_postcode,
    is_outward_code,
    parse_postcode,
    parse_sector,
    why_not_a_postcode,
)
from service.search.normalise import fold
from service.search.vocabulary import canonical_field_words, query_alternatives


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("St Mary's Road", "st marys road"),
        ("Flat 2, 12 High St.", "flat 2 12 high st"),
        ("2 / 12 High-Street", "2/12 high street"),
        ("12 - 14 Mill Lane", "12-14 mill lane"),
        ("CAFÉ ROW", "cafe row"),
        ("Rose–Cottage", "rose cottage"),
        ("A&B Ltd", "a and b ltd"),
        ("😀 12\tHigh\x00", "12 high"),
        ("'; DROP TABLE addresses; --", "drop table addresses"),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    "typed", ["FX1 2AB", "fx12ab", " fx1  2ab ", "Sw1A 1aa", "m1 1AE", "GIR 0AA"]
)
def test_postcodes_in_any_case_and_spacing(typed: str) -> None:
    postcode = parse_postcode(typed)
    assert postcode is not None
    assert postcode.display == f"{postcode.outward} {postcode.inward}"
    assert " " not in postcode.key


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("FX1-2AB", "only letters, digits"),
        ("FX1", "5 to 7"),
        ("FX1 2A1", "ends with a digit and two letters"),
        ("Q1 2AB", "outward code"),
        ("FX1 2CI", "outward code"),  # C and I are never unit letters
    ],
)
def test_invalid_postcodes_say_why(typed: str, reason: str) -> None:
    assert parse_postcode(typed) is None
    assert reason in why_not_a_postcode(typed)


def test_postcode_found_anywhere_in_text() -> None:
    found = find_postcode("12 high st, amberdale fx1 2ab, norfolk")
    assert found is not None
    assert found[0].key == "FX12AB"
    assert is_outward_code("fx1")
    assert not is_outward_code("high")
    assert parse_sector("FX1 2") == ("FX1", "2")


def test_st_is_street_at_the_end_of_a_street_and_saint_before_it() -> None:
    assert canonical_field_words(["st", "marys", "rd"]) == ["saint", "marys", "road"]
    assert canonical_field_words(["high", "st"]) == ["high", "street"]


def test_a_query_word_may_mean_several_things() -> None:
    assert set(query_alternatives("st")) >= {"street", "saint"}
    assert "road" in query_alternatives("rd")
    assert query_alternatives("high") == ("high",)
