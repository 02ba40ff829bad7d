"""Reading what an area lookup asks for: one location, area types, postcodes, bulk points."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from service.errors import InvalidInput
from service.postcodes.parse import Postcode, require_postcode
from service.spatial.lookup import (
    PointQuery,
    UprnQuery,
    bulk_points,
    check_types_known,
    choose_lookup,
    parse_types,
    position_of_point,
)


def problem(error: pytest.ExceptionInfo[InvalidInput]) -> str:
    return f"{error.value.message} | {error.value.hint}"


def test_lat_lon_becomes_a_bng_point_keeping_what_was_asked() -> None:
    query = choose_lookup(lat=51.76, lon=-0.98)
    assert isinstance(query, PointQuery)
    assert (query.lat, query.lon) == (51.76, -0.98)
    assert 470_000 < query.x < 471_000


def test_x_y_uprn_and_postcode_are_each_one_lookup() -> None:
    assert choose_lookup(x=470495, y=207305) == PointQuery(470495, 207305)
    assert choose_lookup(uprn=100) == UprnQuery(100)
    assert choose_lookup(postcode=" hp19  9bj ") == Postcode("HP19", "9BJ")


def test_mixed_coordinate_systems_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        choose_lookup(lat=51.76, lon=-0.98, x=470495, y=207305)
    assert "lat/lon and x/y given together" in problem(caught)


def test_nothing_to_look_up_says_what_to_give() -> None:
    with pytest.raises(InvalidInput) as caught:
        choose_lookup()
    assert "lat and lon; x and y" in problem(caught)


def test_half_a_coordinate_pair_names_the_missing_half() -> None:
    with pytest.raises(InvalidInput) as caught:
        choose_lookup(lat=51.76)
    assert "lon is missing" in problem(caught)


def test_postcodes_are_normalised_and_displayed_with_their_space() -> None:
    assert require_postcode("hp19 9bj").key == "HP199BJ"
    assert require_postcode("SW1A1AA").key == "SW1A1AA"
    assert Postcode("HP19", "9BJ").display == "HP19 9BJ"
    assert Postcode("M1", "1AE").display == "M1 1AE"


@pytest.mark.parametrize("text", ["zz", "HP19", "HP19 9B", "12345", "HP19 9BJX", ""])
def test_incomplete_or_malformed_postcodes_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        require_postcode(text)
    assert "not a valid UK postcode" in problem(caught)


def test_a_refused_postcode_says_what_is_wrong_with_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        require_postcode("HP19 9B1")
    assert "ends with a digit and two letters" in problem(caught)


def test_types_are_split_trimmed_lowered_and_deduplicated() -> None:
    assert parse_types("parish, Ward,parish,,waste_round") == ["parish", "ward", "waste_round"]
    assert parse_types(None) is None
    assert parse_types("  ") is None


def test_a_type_that_cannot_exist_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_types("parish;drop")
    assert "'parish;drop' is not an area type" in problem(caught)


def test_unknown_types_are_refused_naming_the_loaded_ones() -> None:
    check_types_known(["parish"], ["parish", "ward"])
    with pytest.raises(InvalidInput) as caught:
        check_types_known(["parish", "county"], ["parish", "ward"])
    assert "unknown area type: county" in problem(caught)
    assert "Loaded area types are: parish, ward" in problem(caught)


def test_with_nothing_loaded_the_message_says_so() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_types_known(["parish"], [])
    assert "no boundaries are loaded" in problem(caught)


def test_a_bng_point_is_echoed_with_its_wgs84_position_to_the_centimetre() -> None:
    position = position_of_point(PointQuery(470495.123456, 207304.987654))
    assert (position.x, position.y) == (470495.12, 207304.99)
    assert position.lat == pytest.approx(51.76, abs=0.001)
    assert position.lon == pytest.approx(-0.98, abs=0.001)


@dataclass
class Point:
    lat: float | None = None
    lon: float | None = None
    x: float | None = None
    y: float | None = None


def test_bulk_points_keep_their_order() -> None:
    points = bulk_points([Point(x=470000, y=200000), Point(x=471000, y=201000)])
    assert [(p.x, p.y) for p in points] == [(470000, 200000), (471000, 201000)]


def test_bulk_takes_at_most_100_points() -> None:
    bulk_points([Point(lat=51.76, lon=-0.98)] * 100)
    with pytest.raises(InvalidInput) as caught:
        bulk_points([Point(lat=51.76, lon=-0.98)] * 101)
    assert "101 points sent: a request takes 1 to 100 points" in problem(caught)
    assert "batches of at most 100" in problem(caught)


def test_an_empty_bulk_request_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        bulk_points([])
    assert "1 to 100 points" in problem(caught)


def test_bulk_points_in_mixed_systems_are_refused_naming_which() -> None:
    with pytest.raises(InvalidInput) as caught:
        bulk_points([Point(lat=51.76, lon=-0.98), Point(x=470000, y=200000)])
    assert "mixed coordinate systems: lat/lon in points[0] and x/y in points[1]" in problem(caught)


def test_a_bad_bulk_point_is_named_by_its_index() -> None:
    with pytest.raises(InvalidInput) as caught:
        bulk_points([Point(lat=51.76, lon=-0.98), Point(lat=95, lon=0)])
    assert problem(caught).startswith("points[1]: lat 95 and lon 0 are not a position")


def test_a_bulk_point_needs_one_pair() -> None:
    with pytest.raises(InvalidInput) as caught:
        bulk_points([Point(lat=51.76, lon=-0.98, x=470000, y=200000)])
    assert "points[0]: each point needs lat and lon, or x and y (not both)" in problem(caught)
