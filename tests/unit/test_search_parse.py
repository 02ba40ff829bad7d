"""Query understanding: every common way of writing a flat, a number and a postcode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.search.parse import MAX_QUERY_LENGTH, Number, parse_query


@pytest.mark.parametrize(
    ("typed", "house", "flat"),
    [
        ("Flat 2, 12 High St", Number(12), Number(2)),
        ("2/12 High St", Number(12), Number(2)),
        ("12 High St Flat 2", Number(12), Number(2)),
        ("Apartment 2 Victoria House", None, Number(2)),
        ("flat b 12 high st", Number(12), Number(None, "b")),
        ("12b high street", Number(12, "b"), None),
        ("12-14 mill lane", Number(12, "", 14), None),
        ("2, 12 high street", Number(12), Number(2)),
        ("unit 3 ind est", None, Number(3)),
        ("rose cottage", None, None),
    ],
)
def test_numbers_and_flats(typed: str, house: Number | None, flat: Number | None) -> None:
    query = parse_query(typed)
    assert (query.house, query.flat) == (house, flat)


def test_postcode_anywhere_and_words_kept_in_order() -> None:
    query = parse_query("12 High St, fx1 2ab, Amberdale, UK")
    assert query.postcode is not None and query.postcode.key == "FX12AB"
    assert query.words == ("high", "st", "amberdale")


def test_outward_code_alone_at_the_end() -> None:
    query = parse_query("rose cottage little snoring fx1")
    assert query.outward == "FX1"
    assert query.words == ("rose", "cottage", "little", "snoring")


def test_typeahead_keeps_the_last_word_as_a_prefix() -> None:
    assert parse_query("12 high st amb", typeahead=True).prefix == "amb"
    assert parse_query("12 high st amb ", typeahead=True).prefix is None
    assert parse_query("12 high st amb", typeahead=False).prefix is None


@given(st.text(max_size=400))
def test_any_text_parses_without_error(text: str) -> None:
    query = parse_query(text, typeahead=True)
    assert len(" ".join(query.words)) <= MAX_QUERY_LENGTH
    assert all(word == word.lower() and word.isascii() for word in query.words)


@given(st.from_regex(r"[0-9]{1,4}[a-c]? [a-z]{3,9} (road|street|lane)", fullmatch=True))
def test_a_leading_number_is_the_house(text: str) -> None:
    query = parse_query(text)
    assert query.house is not None
    assert query.house.value == int("".join(c for c in text.split(maxsplit=1)[0] if c.isdigit()))
