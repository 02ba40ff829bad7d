"""A noise model for search queries: realistic ways residents mistype an address, applied to
real rows of a loaded data set. Seeded, so two runs ask the same questions."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ABBREVIATIONS = {
    "ROAD": "RD",
    "STREET": "ST",
    "AVENUE": "AVE",
    "CLOSE": "CL",
    "CRESCENT": "CRES",
    "GARDENS": "GDNS",
    "COURT": "CT",
    "DRIVE": "DR",
    "LANE": "LN",
    "PLACE": "PL",
    "SQUARE": "SQ",
    "TERRACE": "TERR",
    "SAINT": "ST",
    "GROVE": "GRO",
    "PARK": "PK",
}
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
EXTRA_WORDS = ("UK", "United Kingdom", "England", "Norfolk", "Shire")

Row = dict[str, Any]


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    uprn: int


def _neighbour(rng: random.Random, char: str) -> str:
    for row in KEYBOARD_ROWS:
        index = row.find(char.lower())
        if index >= 0:
            options = [row[i] for i in (index - 1, index + 1) if 0 <= i < len(row)]
            return rng.choice(options)
    return char


def typo(rng: random.Random, word: str) -> str:
    """One slip of the fingers: a swapped, dropped, doubled or neighbouring letter."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + _neighbour(rng, word[i]) + word[i + 1 :]


def street_of(row: Row) -> str:
    return row["thoroughfare"] or row["street_description"] or ""


def town_of(row: Row) -> str:
    return (
        row["dependent_locality"] or row["locality"] or row["post_town"] or row["town_name"] or ""
    )


def number_of(row: Row) -> str:
    number = row["building_number"] or row["pao_start_number"]
    if number is None:
        return ""
    return f"{number}{(row['pao_start_suffix'] or '')}"


def premises(row: Row) -> str:
    """The house part: building name and/or number, with the flat first."""
    name = row["building_name"] or row["pao_text"] or ""
    parts = [row["sub_building_name"] or row["sao_text"] or "", name, number_of(row)]
    if row["sao_start_number"] and not parts[0]:
        parts[0] = f"FLAT {row['sao_start_number']}"
    return " ".join(p for p in parts if p).strip()


def clean(row: Row) -> str:
    return ", ".join(p for p in (premises(row), street_of(row), town_of(row), row["postcode"]) if p)


def with_typos(rng: random.Random, row: Row) -> str:
    words = clean(row).replace(",", "").split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(candidates, min(2, len(candidates))):
        words[i] = typo(rng, words[i])
    return " ".join(words)


def abbreviated(rng: random.Random, row: Row) -> str:
    words = [ABBREVIATIONS.get(w, w) for w in clean(row).replace(",", " ,").split()]
    return " ".join(words).replace(" ,", ",")


def lower_no_commas(rng: random.Random, row: Row) -> str:
    postcode = (row["postcode"] or "").replace(" ", "").lower()
    return f"{premises(row)} {street_of(row)} {town_of(row)} {postcode}".lower()


def outward_only(rng: random.Random, row: Row) -> str:
    outward = (row["postcode"] or "").split(" ")[0]
    return f"{premises(row)} {street_of(row)} {town_of(row)} {outward}"


def no_postcode(rng: random.Random, row: Row) -> str:
    return f"{premises(row)} {street_of(row)}, {town_of(row)}, {row['post_town'] or ''}"


def extra_words(rng: random.Random, row: Row) -> str:
    return f"{clean(row)}, {rng.choice(EXTRA_WORDS)}"


def flat_forms(rng: random.Random, row: Row) -> str:
    flat, number = f"{row['sao_start_number']}{row['sao_start_suffix'] or ''}", number_of(row)
    street = street_of(row)
    forms = [
        f"Flat {flat}, {number} {street}",
        f"{flat}/{number} {street}",
        f"{number} {street} Flat {flat}",
        f"Apartment {flat}, {row['building_name'] or ''} {number} {street}",
    ]
    return f"{rng.choice(forms)} {row['postcode']}"


def organisation(rng: random.Random, row: Row) -> str:
    """An organisation's name with its unit (if it has one), street and town, as people write
    a business address."""
    name = row["organisation_name"] or row["lpi_organisation"]
    unit = row["sub_building_name"] or row["sao_text"]
    return ", ".join(p for p in (name, unit, street_of(row), town_of(row)) if p)


def named_house(rng: random.Random, row: Row) -> str:
    return f"{row['building_name'] or row['pao_text']}, {street_of(row)}, {town_of(row)}"


def gazetteer_form(rng: random.Random, row: Row) -> str:
    return f"{premises(row)} {row['street_description']} {row['town_name']} {row['postcode']}"


STREET_TYPE_WORDS = frozenset(ABBREVIATIONS) - {"SAINT"}


def without_street_type(rng: random.Random, row: Row) -> str:
    """The street without its type ('12 Mill, Amberdale'): people drop it."""
    words = street_of(row).split()
    street = " ".join(words[:-1] if words[-1] in STREET_TYPE_WORDS else words)
    return f"{premises(row)} {street}, {town_of(row)} {row['postcode']}"


def wrong_unit(rng: random.Random, row: Row) -> str:
    """A misremembered postcode: the right sector, the wrong last two letters."""
    postcode = row["postcode"]
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    wrong = postcode[:-2] + "".join(rng.choice(letters) for _ in range(2))
    return f"{premises(row)} {street_of(row)} {town_of(row)} {wrong}"


def everything_at_once(rng: random.Random, row: Row) -> str:
    """Lower case, no commas, an abbreviation, a typo and only the outward code."""
    text = abbreviated(rng, {**row, "postcode": (row["postcode"] or "").split(" ")[0]})
    words = text.replace(",", "").lower().split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if long_words:
        i = rng.choice(long_words)
        words[i] = typo(rng, words[i])
    return " ".join(words)


NoiseKind = Callable[[random.Random, Row], str]


def applicable_kinds(row: Row) -> list[tuple[str, NoiseKind]]:
    """The kinds of mess that make sense for this address."""
    kinds: list[tuple[str, NoiseKind]] = [
        ("typos", with_typos),
        ("abbreviations", abbreviated),
        ("lower_no_commas", lower_no_commas),
        ("outward_only", outward_only),
        ("extra_words", extra_words),
    ]
    if row["postcode"] and (row["building_number"] or row["pao_start_number"]):
        kinds.append(("no_postcode", no_postcode))
        kinds.append(("wrong_postcode_unit", wrong_unit))
        kinds.append(("everything_at_once", everything_at_once))
    if (
        row["postcode"]
        and set(street_of(row).split()) & STREET_TYPE_WORDS
        and len(street_of(row).split()) > 1
    ):
        kinds.append(("no_street_type", without_street_type))
    if row["sao_start_number"] and number_of(row):
        kinds.append(("flat_forms", flat_forms))
    if row["organisation_name"] or row["lpi_organisation"]:
        kinds.append(("organisation", organisation))
    has_flat = row["sao_start_number"] or row["sao_text"] or row["sub_building_name"]
    if (row["building_name"] or row["pao_text"]) and not has_flat and not number_of(row):
        kinds.append(("named_house", named_house))
    if row["street_description"] and row["town_name"] and row["postcode"]:
        kinds.append(("gazetteer_form", gazetteer_form))
    return kinds


def make_case(rng: random.Random, row: Row, kind: str | None = None) -> Case:
    """A messy query for the row: of the given kind, or of a kind chosen at random."""
    kinds = dict(applicable_kinds(row))
    chosen = kind if kind in kinds else rng.choice(sorted(kinds))
    return Case(chosen, " ".join(kinds[chosen](rng, row).split()), row["uprn"])


def stratified_cases(rng: random.Random, rows: list[Row], per_kind: int) -> list[Case]:
    """Up to per_kind cases of every kind, each from a different row where the kind applies,
    so rare kinds (flats, organisations) are measured as well as common ones."""
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        for kind, _ in applicable_kinds(row):
            by_kind.setdefault(kind, []).append(row)
    cases = []
    for kind, candidates in sorted(by_kind.items()):
        for row in candidates[:per_kind]:
            cases.append(make_case(rng, row, kind))
    return cases


def typeahead_prefix(row: Row) -> str:
    """What a resident has typed half-way through their address (as the service shows it,
    without its commas)."""
    text = " ".join(row["address"].replace(",", " ").split())
    return text[: max(3, len(text) // 2)]
