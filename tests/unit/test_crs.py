"""Coordinate conversions and Great Britain checks: the numbers, and the messages a caller reads."""

from __future__ import annotations

import pytest

from service.errors import InvalidInput
from service.spatial.crs import (
    BNG,
    WEB_MERCATOR,
    WGS84,
    bng_to,
    check_bng,
    check_in_great_britain,
    check_lat_lon,
    check_srs,
    looks_like_gb_bng,
    looks_like_gb_lon_lat,
    looks_like_lon_lat,
    to_bng,
    transformer,
)

# Nelson's Column: OS gives TQ 30015 80415; WGS84 51.507748, -0.127960.
NELSON = (-0.127960, 51.507748)
NELSON_BNG = (530015.0, 180415.0)


def test_lon_lat_converts_to_bng_within_a_few_metres_of_the_os_figure() -> None:
    x, y = to_bng(*NELSON)
    assert x == pytest.approx(NELSON_BNG[0], abs=5)
    assert y == pytest.approx(NELSON_BNG[1], abs=5)


def test_bng_to_wgs84_gives_lon_then_lat_and_round_trips() -> None:
    lon, lat = bng_to(*to_bng(*NELSON), WGS84)
    assert lon == pytest.approx(NELSON[0], abs=1e-7)
    assert lat == pytest.approx(NELSON[1], abs=1e-7)


def test_bng_to_bng_is_the_point_itself_and_web_mercator_is_metres() -> None:
    assert bng_to(*NELSON_BNG, BNG) == NELSON_BNG
    x, y = bng_to(*NELSON_BNG, WEB_MERCATOR)
    assert x == pytest.approx(-14244, abs=20)
    assert y == pytest.approx(6711600, abs=200)


def test_transformers_are_cached() -> None:
    assert transformer(WGS84, BNG) is transformer(WGS84, BNG)


def test_an_unsupported_srs_is_refused_naming_the_supported_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_srs(2154)
    assert "2154" in caught.value.message
    assert "27700" in (caught.value.hint or "")
    assert "4326" in (caught.value.hint or "")


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (-91, 0), (52, 181), (52, -200)])
def test_impossible_lat_lon_is_refused_with_the_valid_ranges(lat: float, lon: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_lat_lon(lat, lon)
    assert "-90 to 90" in caught.value.message


def test_a_point_in_france_is_outside_great_britain() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_lat_lon(48.85, 2.35)
    assert "outside Great Britain" in caught.value.message
    assert "lat 49.8 to 60.9" in (caught.value.hint or "")


def test_swapped_lat_and_lon_are_pointed_out() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_lat_lon(-0.98, 51.76)
    assert "swapped" in caught.value.message


def test_points_in_great_britain_pass() -> None:
    check_lat_lon(51.76, -0.98)
    check_lat_lon(60.8, -0.8)  # Unst, Shetland
    check_lat_lon(49.9, -6.3)  # Isles of Scilly
    check_bng(*NELSON_BNG)


def test_bng_outside_great_britain_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_bng(800_000, 100_000)
    assert "outside Great Britain" in caught.value.message
    assert "x 0 to 700000" in (caught.value.hint or "")


def test_degrees_sent_as_bng_are_pointed_out() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_bng(-0.98, 51.76)
    assert "lon= and lat=" in caught.value.message


def test_check_in_great_britain_takes_any_supported_system() -> None:
    check_in_great_britain(*NELSON, WGS84)
    check_in_great_britain(*NELSON_BNG, BNG)
    check_in_great_britain(*bng_to(*NELSON_BNG, WEB_MERCATOR), WEB_MERCATOR)
    with pytest.raises(InvalidInput):
        check_in_great_britain(2.35, 48.85, WGS84)


def test_bounds_are_told_apart_as_degrees_or_grid_metres() -> None:
    parishes_lon_lat = (-4.18, 50.86, -0.74, 52.06)
    parishes_bng = (246669.0, 106721.0, 488777.0, 242423.0)
    assert looks_like_lon_lat(parishes_lon_lat)
    assert looks_like_gb_lon_lat(parishes_lon_lat)
    assert not looks_like_gb_bng(parishes_lon_lat)
    assert looks_like_gb_bng(parishes_bng)
    assert not looks_like_lon_lat(parishes_bng)
    assert not looks_like_gb_lon_lat((2.0, 48.0, 3.0, 49.0))  # Paris
