"""The pure rules behind areas: how types nest and sort, how a split postcode is summarised,
which boundary files are refused, and which contact rows are accepted."""

from __future__ import annotations

import pytest
import shapely
from pyproj import CRS

from loaders.errors import CliError
from loaders.ingest.areas.boundaries import crs_problem, polygons_only
from loaders.ingest.areas.contacts import contact_problem, header_columns
from service.spatial.areas import Area
from service.spatial.hierarchy import parent_type_of, type_rank
from service.spatial.postcode_areas import summarise_postcode

NO_DECLARED: dict[str, str | None] = {}


def test_a_parish_nests_in_the_next_loaded_type_up() -> None:
    assert parent_type_of("parish", {"parish", "ward", "district"}, NO_DECLARED) == "ward"
    assert parent_type_of("parish", {"parish", "district"}, NO_DECLARED) == "district"
    assert parent_type_of("parish", {"parish"}, NO_DECLARED) is None
    assert parent_type_of("county", {"parish", "county"}, NO_DECLARED) is None


def test_custom_types_nest_only_where_declared() -> None:
    loaded = {"waste_round", "district"}
    assert parent_type_of("waste_round", loaded, NO_DECLARED) is None
    assert parent_type_of("waste_round", loaded, {"waste_round": "district"}) == "district"
    assert parent_type_of("waste_round", {"waste_round"}, {"waste_round": "district"}) is None


def test_answers_list_hierarchy_types_smallest_first_then_custom_by_name() -> None:
    types = ["waste_round", "county", "beat", "parish", "ward"]
    assert sorted(types, key=type_rank) == ["parish", "ward", "county", "beat", "waste_round"]


def area(code: str, area_type: str = "parish") -> Area:
    return Area(code=code, name=f"Area {code}", type=area_type, parent=None, contacts=[])


def test_a_postcode_wholly_in_one_area_is_not_split() -> None:
    summary = summarise_postcode("HP19 9BJ", [[area("A")], [area("A")]])
    assert not summary.split
    assert [(a.code, a.address_count) for a in summary.areas] == [("A", 2)]


def test_a_postcode_across_two_areas_is_split_with_counts_largest_first() -> None:
    ward = area("W", "ward")
    summary = summarise_postcode("HP19 9BJ", [[area("B"), ward], [area("A"), ward], [area("B")]])
    assert summary.split
    assert summary.split_types == ["parish", "ward"]  # one address is in no ward
    assert summary.address_count == 3
    assert [(a.code, a.address_count) for a in summary.areas] == [("B", 2), ("A", 1), ("W", 2)]


def test_a_postcode_partly_outside_every_area_of_a_type_is_split() -> None:
    summary = summarise_postcode("HP19 9BJ", [[area("A")], []])
    assert summary.split_types == ["parish"]


BOUNDS_LON_LAT = (-1.1, 51.7, -0.9, 51.9)
BOUNDS_BNG = (455000.0, 200000.0, 475000.0, 220000.0)


def test_a_file_without_crs_is_refused_with_the_crs_its_numbers_suggest() -> None:
    assert "use --source-crs EPSG:4326" in (crs_problem(BOUNDS_LON_LAT, None) or "")
    assert "use --source-crs EPSG:27700" in (crs_problem(BOUNDS_BNG, None) or "")


def test_lon_lat_declared_as_bng_is_refused_naming_the_fix() -> None:
    problem = crs_problem(BOUNDS_LON_LAT, CRS("EPSG:27700")) or ""
    assert "declares EPSG:27700" in problem
    assert "look like longitude/latitude: use --source-crs EPSG:4326" in problem


def test_bng_declared_as_wgs84_is_refused_naming_the_fix() -> None:
    problem = crs_problem(BOUNDS_BNG, CRS("EPSG:4326")) or ""
    assert "declares EPSG:4326" in problem
    assert "use --source-crs EPSG:27700" in problem


def test_coordinates_outside_great_britain_are_refused() -> None:
    paris = (2.2, 48.8, 2.5, 48.9)
    assert "fall outside Great Britain" in (crs_problem(paris, CRS("EPSG:4326")) or "")


def test_right_crs_passes_in_any_system() -> None:
    assert crs_problem(BOUNDS_LON_LAT, CRS("EPSG:4326")) is None
    assert crs_problem(BOUNDS_BNG, CRS("EPSG:27700")) is None
    web_mercator = (-122000.0, 6743000.0, -100000.0, 6770000.0)
    assert crs_problem(web_mercator, CRS("EPSG:3857")) is None


def test_repair_keeps_only_the_polygons() -> None:
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    repaired = polygons_only(shapely.make_valid(bow_tie))
    assert repaired.geom_type == "MultiPolygon"
    assert repaired.is_valid
    assert len(repaired.geoms) == 2
    assert repaired.area == pytest.approx(2.0)
    line_only = shapely.GeometryCollection([shapely.LineString([(0, 0), (1, 1)])])
    assert polygons_only(line_only).is_empty


def contact(**fields: str) -> dict[str, str]:
    return {"area_code": "E04001490", "name": "Jane Smith", **fields}


def test_a_contact_with_a_code_and_a_way_to_reach_someone_is_accepted() -> None:
    assert contact_problem(contact()) is None
    assert contact_problem(contact(email="clerk@haddenham.org.uk")) is None
    assert contact_problem(contact(phone="01844 123456")) is None
    assert contact_problem(contact(phone="+44 (0)1844 123456")) is None
    assert contact_problem(contact(url="https://haddenham.org.uk/contact")) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (contact(area_code=""), "area_code is empty"),
        ({"area_code": "E04001490", "role": "Clerk"}, "no name, email, phone or url"),
        (contact(email="clerk.haddenham.org"), "bad email"),
        (contact(email="clerk@haddenham"), "bad email"),
        (contact(phone="12345"), "bad phone"),
        (contact(url="haddenham.org.uk"), "bad url"),
        (contact(url="ftp://haddenham.org.uk"), "bad url"),
        (contact(area_type="Parish Council"), "bad area_type"),
    ],
)
def test_malformed_contacts_are_refused_saying_why(fields: dict[str, str], expected: str) -> None:
    assert expected in (contact_problem(fields) or "")


def test_header_names_are_read_loosely_but_area_code_is_required() -> None:
    assert header_columns(["Area Code", " Email "]) == ["area_code", "email"]
    with pytest.raises(CliError, match="needs an area_code column"):
        header_columns(["code", "email"])
