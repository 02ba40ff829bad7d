"""Ranking: the right address first, however the query is written."""

from __future__ import annotations

from typing import Any

from service.search.parse import parse_query
from service.search.rank import rank


def candidate(uprn: int, **fields: Any) -> dict[str, Any]:
    """An index row with defaults: 1, HIGH STREET, AMBERDALE, FX1 2AB."""
    row = {
        "uprn": uprn,
        "street": "high street",
        "places": "amberdale",
        "building": "",
        "sao_text": "",
        "pao_number": 1,
        "pao_suffix": "",
        "pao_end": None,
        "sao_number": None,
        "sao_suffix": "",
        "postcode_key": "FX12AB",
        "logical_status": 1,
        "matched": 0,
    }
    row.update(fields)
    row.setdefault("natural_key", natural_key(row))
    return row


def natural_key(row: dict[str, Any]) -> str:
    """What address_natural_key (migration 0006) stores for these fields."""
    house, flat = row["pao_number"], row["sao_number"]
    parts = (
        row["street"],
        "~" if house is None else f"{house:010d}",
        row["pao_suffix"],
        row["building"],
        "" if flat is None else f"{flat:010d}",
        row["sao_suffix"],
        row["sao_text"],
    )
    return "\x01".join(parts)


def first(query: str, *candidates: dict[str, Any]) -> int:
    return rank(parse_query(query), list(candidates))[0].uprn


def test_exact_house_number_beats_near_ones() -> None:
    houses = [candidate(n, pao_number=n) for n in (1, 2, 12, 21, 121)]
    houses.append(candidate(99, pao_number=12, pao_suffix="a"))
    assert first("12 high st amberdale", *houses) == 12


def test_house_number_with_suffix() -> None:
    plain, lettered = candidate(1, pao_number=12), candidate(2, pao_number=12, pao_suffix="a")
    assert first("12a high street", plain, lettered) == 2
    assert first("12 high street", plain, lettered) == 1


def test_12b_can_mean_flat_b_of_number_12() -> None:
    flat_a = candidate(1, pao_number=12, sao_suffix="a", sao_text="flat a")
    flat_b = candidate(2, pao_number=12, sao_suffix="b", sao_text="flat b")
    assert first("12b high street", flat_a, flat_b) == 2


def test_flats_in_every_form() -> None:
    flats = [candidate(n, pao_number=12, sao_number=n, sao_text=f"flat {n}") for n in (1, 2, 10)]
    for query in (
        "Flat 2, 12 High St",
        "2/12 high st",
        "12 high street flat 2",
        "apartment 2 12 high st",
    ):
        assert first(query, *flats) == 2, query


def test_typos_abbreviations_and_missing_commas() -> None:
    right = candidate(1, street="mill lane", places="little snoring amberdale", pao_number=4)
    wrong = candidate(2, street="mill road", places="great snoring amberdale", pao_number=4)
    assert first("4 mil ln litle snorign", right, wrong) == 1


def test_organisation_and_building_names() -> None:
    pub = candidate(1, building="the grey cock", pao_number=3)
    shop = candidate(2, building="spectrum news", pao_number=2)
    assert first("grey cock amberdale", pub, shop) == 1
    assert first("spectrum news, high st", pub, shop) == 2


def test_postcode_decides_between_twin_streets() -> None:
    here = candidate(1, postcode_key="FX12AB")
    there = candidate(2, postcode_key="FX98ZZ", places="other town")
    assert first("1 high street fx9 8zz", here, there) == 2


def test_historic_addresses_rank_below_live_ones() -> None:
    historic = candidate(1, logical_status=8)
    live = candidate(2)
    assert first("1 high street amberdale", historic, live) == 2


def test_scores_are_between_0_and_1_with_a_description() -> None:
    results = rank(parse_query("1 high st amberdale"), [candidate(1)])
    assert 0 < results[0].score <= 1
    assert "house number exact" in results[0].match


def test_unrelated_candidates_are_not_answers() -> None:
    assert rank(parse_query("99 nowhere avenue"), [candidate(1, street="mill lane")]) == []
