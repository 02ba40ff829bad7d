"""Typeahead's pure parts: the forms and keys of addresses and queries, the bounded lists
built from them, what the ranker sees, hidden parts, and ranking for the council that asks."""

from __future__ import annotations

from typing import Any

import pytest

from loaders.searchindex.completion_lists import BEST_KEPT, CompletionBuilder
from service.search.bias import Bias
from service.search.candidates import swapped_letters
from service.search.completion import (
    LIST_SIZE,
    MAX_KEY,
    address_forms,
    begins_with,
    key_prefixes,
    query_texts,
    shown_text,
)
from service.search.parse import parse_query
from service.search.rank import rank
from service.search.typeahead import SAMPLE_RANKED, SUGGESTED, worth_ranking
from tests.support.completions import bounded_completions, forms_of, reference_completions, stored
from tests.unit.test_search_rank import candidate

FLAT = "FLAT 2, ROSE COURT, 12 HIGH STREET, AMBERDALE, FX1 2AB"


def test_an_address_is_begun_from_its_flat_building_number_or_street() -> None:
    forms = address_forms(FLAT)
    assert forms[0] == "flat 2 rose court 12 hig"
    assert "2 rose court 12 high str" in forms  # '2/12 high st' starts past the flat word
    assert "rose court 12 high stree" in forms
    assert "12 high street amberdale" in forms
    assert "high street amberdale fx" in forms
    assert all(len(form) <= MAX_KEY for form in forms)
    assert not any(form.startswith(("amberdale", "fx1")) for form in forms)


def test_abbreviations_in_the_data_and_the_query_meet() -> None:
    assert "3 mill road amberdale fx" in address_forms("3 MILL RD, AMBERDALE, FX1 2AB")
    assert "12 high road" in query_texts("12 high rd", typing=True)
    assert "12 high street amb" in query_texts("12 High St, Amb", typing=True)
    assert "12 saint marys" in query_texts("12 st marys", typing=False)
    assert query_texts("2/12 high", typing=True)[0] == "2 12 high"


def test_misspelt_words_are_replaced_when_corrections_are_known() -> None:
    texts = query_texts("12 hihg st", typing=True, corrections={"hihg": "high"})
    assert "12 high st" in texts  # and 'st' begins 'street' as typed


def test_every_prefix_of_a_text_is_a_key_to_look_for() -> None:
    assert key_prefixes(["12 h"]) == ["1", "12", "12 ", "12 h"]


def _built(addresses: dict[int, str], bucket_entries: int = 10**6) -> dict[str, Any]:
    forms = forms_of((uprn, text, 1) for uprn, text in addresses.items())
    return {c.key: c for c in bounded_completions(forms, bucket_entries=bucket_entries)}


def test_lists_are_bounded_and_complete_below_the_bound() -> None:
    addresses = {n: f"{n}, HIGH STREET, AMBERDALE, FX1 2AB" for n in range(1, 2000)}
    addresses[5000] = "1, LOW ROAD, AMBERDALE, FX1 2AB"
    stored = _built(addresses)
    assert all(len(c.uprns) <= LIST_SIZE for c in stored.values())
    high = stored["h"]  # every address begins 'high street' too
    assert high.saturated and len(high.uprns) == LIST_SIZE
    assert stored["1"].saturated  # 1, 10-19, 100-199, 1000-1999 and Low Road
    # '12' is held by 12, 120-129 and 1200-1299: complete, so longer keys are not stored
    twelve = [12, *range(120, 130), *range(1200, 1300)]
    assert not stored["12"].saturated and sorted(stored["12"].uprns) == twelve
    assert "12 " not in stored
    assert sorted(stored["1 "].uprns) == [1, 5000]


def test_a_sample_prefers_live_buildings_to_flats() -> None:
    flats = {n: f"FLAT {n}, 1 HIGH STREET, AMBERDALE, FX1 2AB" for n in range(1, 300)}
    house = {999: "HIGH STREET HOUSE, HIGH STREET, AMBERDALE, FX1 2AB"}
    for bucket_entries in (BEST_KEPT, 10**6):  # 'h' built in buckets, and in one
        built = _built({**flats, **house}, bucket_entries)
        assert built["h"].saturated and built["h"].uprns[0] == 999


def _streets(count: int) -> dict[int, tuple[int, str, int | None]]:
    """Houses, flats, named buildings and units on a few streets: common prefixes many
    levels deep ('flat 1', '1 high street'), and addresses that are not live."""
    streets = ["HIGH STREET", "HIGH ROAD", "HILL VIEW", "MILL LANE", "ST MARYS CLOSE"]
    addresses: dict[int, tuple[int, str, int | None]] = {}
    for uprn in range(1, count + 1):
        street, number = streets[uprn % len(streets)], uprn % 97 + 1
        text = [
            f"{number}, {street}, AMBERDALE, FX1 2AB",
            f"FLAT {uprn % 13 + 1}, {number} {street}, AMBERDALE, FX1 2AB",
            f"FLAT {uprn % 7 + 1}, HIGH HOUSE, {number} {street}, KENDON, FX2 1CD",
            f"UNIT {uprn % 5}, {street}, AMBERDALE, FX1 2AB",
        ][uprn % 4]
        addresses[uprn] = (uprn, text, None if uprn % 11 == 0 else 1 + uprn % 9 // 8)
    return addresses


@pytest.mark.parametrize(("bucket_entries", "batch"), [(BEST_KEPT, 1), (1500, 997), (10**6, 5000)])
def test_buckets_store_exactly_what_building_every_form_at_once_stored(
    bucket_entries: int, batch: int
) -> None:
    forms = forms_of(_streets(6000).values())
    reference = stored(reference_completions(forms))
    assert stored(bounded_completions(forms, bucket_entries=bucket_entries, batch=batch)) == (
        reference
    )
    assert sum(saturated for saturated, _ in reference.values()) > 100
    # 'flat ' has more forms than a bucket holds: keys are open five deep ('f' ... 'flat ')
    assert sum(form.startswith("flat ") for form, _, _ in forms) > 1500


def test_a_bucket_must_hold_the_entries_that_decide_a_list() -> None:
    with pytest.raises(ValueError, match="at least 1000"):
        CompletionBuilder(bucket_entries=BEST_KEPT - 1)


def test_begins_with_reads_the_shown_forms() -> None:
    assert shown_text(FLAT) == " flat 2 rose court 12 high street amberdale fx1 2ab "
    assert begins_with(shown_text(FLAT), ["12 high st"])
    assert not begins_with(shown_text(FLAT), ["12 low"])


def _listed(uprn: int, address: str, position: int, **fields: Any) -> dict[str, Any]:
    row = candidate(uprn, **fields)
    row.update(shown=shown_text(address), position=position, sampled=True, custodian_code=1)
    row.update(x=0, y=0)
    return row


def test_the_ranker_sees_a_bounded_share_literal_matches_first() -> None:
    rows = [_listed(n, f"{n}, HIGH STREET, AMBERDALE, FX1 2AB", n) for n in range(1, 150)]
    rows += [_listed(900 + n, f"{n}, HILL ROAD, AMBERDALE, FX1 2AB", n) for n in range(1, 50)]
    # one begins with the text: it, then those sharing most words, enough for a full answer
    chosen = worth_ranking(rows, "1 hil", typing=True, bias=None)
    assert [row["uprn"] for row in chosen[:2]] == [901, 1] and len(chosen) == SUGGESTED
    assert len(worth_ranking(rows, "1 hil", typing=True, bias=None, fill=20)) == 20
    # none does (misspelt): a bounded share, those sharing most words first
    misspelt = worth_ranking(rows, "1 hxll road", typing=True, bias=None)
    assert len(misspelt) == SAMPLE_RANKED and misspelt[0]["uprn"] == 901
    # more begin with it than are ranked: twice the answer of them, and no others
    high = worth_ranking(rows, "high", typing=True, bias=None, fill=20)
    assert len(high) == 40 and all(" high " in row["shown"] for row in high)
    home = Bias(custodians=(7,))
    rows[120]["custodian_code"] = 7
    assert worth_ranking(rows, "high", typing=True, bias=home)[0]["uprn"] == rows[120]["uprn"]
    # words past the key's length still choose among the listed: 'kendon' is typed in full
    # (its shown words made from its displayed address: indexed before they were stored)
    rows[140].update(shown=None, address="141, HIGH STREET, KENDON, FX1 2AB")
    assert rows[140] in worth_ranking(rows, "high street kendon", typing=False, bias=None)


def test_a_word_found_only_in_a_hidden_part_ranks_lower_and_is_named() -> None:
    query = parse_query("12 hig", typeahead=True)
    visible = _listed(1, "12, HIGH STREET, AMBERDALE, FX1 2AB", 1, pao_number=12)
    hidden = _listed(
        2,
        "12, COBDEN PLACE, AMBERDALE, FX1 2AB",
        2,
        pao_number=12,
        street="cobden place",
        places="highfield amberdale",
    )
    first, second = rank(query, [hidden, visible])
    assert first.uprn == 1 and second.uprn == 2
    assert "HIGHFIELD" in second.match and "not shown" in second.match
    assert "not shown" not in first.match


def test_equal_matches_come_home_first_then_nearest() -> None:
    query = parse_query("3 lavenham road m", typeahead=True)
    rows = [
        _listed(uprn, f"3, LAVENHAM ROAD, {town}, FX1 2AB", 1, pao_number=3, places=town.lower())
        for uprn, town in ((1, "MELTON"), (2, "MILFORD"), (3, "MOSSLEY"))
    ]
    rows[0].update(custodian_code=10, x=1000.0, y=0.0)
    rows[1].update(custodian_code=20, x=5000.0, y=0.0)
    rows[2].update(custodian_code=30, x=0.0, y=0.0)
    plain = [r.uprn for r in rank(query, rows)]
    assert plain == [1, 2, 3]  # natural order (by town) without a bias
    assert rank(query, rows, bias=Bias(custodians=(20,)))[0].uprn == 2
    assert [r.uprn for r in rank(query, rows, bias=Bias(point=(0.0, 0.0)))] == [3, 1, 2]
    assert rank(query, rows, bias=Bias(box=(4000.0, -1.0, 6000.0, 1.0)))[0].uprn == 2
    near_beats_home = Bias(custodians=(20,), point=(0.0, 0.0))
    assert [r.uprn for r in rank(query, rows, bias=near_beats_home)] == [3, 1, 2]


def test_swapped_letters_are_every_neighbouring_pair_once() -> None:
    assert swapped_letters(["green", "ab", "lavenham"]) == (
        ["green", "green", "green", "ab"],
        ["rgeen", "geren", "grene", "ba"],
    )  # a longer word keeps enough trigrams
