"""Pure pieces of the generator: postcodes, PAF forms, names, the area plan."""

from __future__ import annotations

import random
import re

from loaders.generate.names import UniqueNames, display_name, postal_spelling
from loaders.generate.plan import CENTRE, build_plan
from loaders.generate.postcodes import (
    FICTIONAL_AREAS,
    LETTER_PAIRS,
    SectorAllocator,
    delivery_point_suffix,
    is_valid_postcode,
    unit_postcode,
)
from loaders.generate.properties import number, postal_form, sub_building_name, text

# Every real UK postcode area, so the fictional ones can be checked against it.
REAL_AREAS = frozenset(
    re.split(
        r"\s+",
        """AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL
        DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY
        L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA
        SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV
        XX YO ZE""",
    )
)


def test_fictional_postcode_areas_are_valid_but_not_real() -> None:
    for area in FICTIONAL_AREAS:
        assert area not in REAL_AREAS
        assert is_valid_postcode(f"{area}1 1AA")


def test_postcode_format_check() -> None:
    assert is_valid_postcode("FX12 3AB")
    for bad in ("FX12 3AC", "FX123AB", "QX1 1AA", "FI1 1AA", "fx1 1aa", "FX12 ABB"):
        assert not is_valid_postcode(bad), bad


def test_inward_letters_skip_the_ones_royal_mail_never_uses() -> None:
    assert len(LETTER_PAIRS) == 400
    assert not set("".join(LETTER_PAIRS)) & set("CIKMOV")


def test_a_town_gets_its_own_districts_and_villages_share_rural_sectors() -> None:
    sectors = SectorAllocator()
    town = sectors.town_slots(expected_units=400, most_units=1000)
    sectors.start_rural_district()
    first_village = sectors.rural_slots(150)
    second_village = sectors.rural_slots(300)
    assert {slot.outward for slot in town} == {"FX1"}
    assert unit_postcode(town, 0) == "FX1 1AA"
    assert unit_postcode(first_village, 0) == "FX2 1AA"
    assert unit_postcode(second_village, 0) == f"FX2 1{LETTER_PAIRS[150]}"
    assert unit_postcode(second_village, 299).startswith("FX2 2")


def test_delivery_point_suffixes_count_up() -> None:
    assert [delivery_point_suffix(i) for i in (0, 1, 19, 20)] == ["1A", "1B", "1Z", "2A"]


def test_paf_keeps_suffixes_and_ranges_as_building_names() -> None:
    assert postal_form(number(12), text("")).building_number == 12
    with_suffix = postal_form(number(12, "A"), text(""))
    assert (with_suffix.building_name, with_suffix.building_number) == ("12A", None)
    assert postal_form(number(12, end=14), text("")).building_name == "12-14"
    named = number(3)
    named.text = "ROSE COTTAGE"
    assert (
        postal_form(named, text("")).building_name,
        postal_form(named, text("")).building_number,
    ) == (
        "ROSE COTTAGE",
        3,
    )


def test_flats_become_sub_building_names() -> None:
    assert sub_building_name(number(2)) == "FLAT 2"
    assert sub_building_name(number(2, "A")) == "FLAT 2A"
    assert sub_building_name(text("GROUND FLOOR FLAT")) == "GROUND FLOOR FLAT"


def test_names_read_naturally_in_display_case() -> None:
    assert display_name("SAINT MARY'S ROAD") == "Saint Mary's Road"
    assert display_name("STRATTON ON THE HILL") == "Stratton on the Hill"


def test_royal_mail_may_spell_saints_differently() -> None:
    spellings = {postal_spelling("SAINT MARY'S ROAD", random.Random(seed)) for seed in range(20)}
    assert spellings == {"SAINT MARYS ROAD", "ST MARYS ROAD"}


def test_unique_names_never_repeat() -> None:
    names = UniqueNames(random.Random(1))
    made = [names.place() for _ in range(3000)]
    assert len(set(made)) == len(made)


def test_the_plan_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    first, again, other = (
        build_plan(4, 50_000, 100),
        build_plan(4, 50_000, 100),
        build_plan(5, 50_000, 100),
    )
    assert first.settlements == again.settlements
    assert first.settlements != other.settlements


def test_the_plan_shares_out_every_address_and_a_custodian_per_district() -> None:
    plan = build_plan(4, 50_000, 100)
    assert sum(s.addresses for s in plan.settlements) == 50_000
    kinds = {s.kind for s in plan.settlements}
    assert kinds == {"town", "village", "hamlet"}
    assert len(set(plan.areas.custodian_codes)) == len(plan.areas.districts) >= 2
    assert all(len(str(code)) == 4 for code in plan.areas.custodian_codes)
    min_x, min_y, max_x, max_y = plan.bounds
    assert min_x < CENTRE[0] < max_x and min_y < CENTRE[1] < max_y
    for s in plan.settlements:
        assert min_x < s.x - s.radius and s.x + s.radius < max_x
