"""What the search index holds for one address: its canonical words (for the database's
candidate lookup) and the folded parts the ranker compares with a query. Both the postal (DPA)
and gazetteer (LPI) forms contribute, so a resident may type either."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from service.search.normalise import fold
from service.search.parse import NOISE_WORDS, parse_query
from service.search.vocabulary import canonical_field_words

_NUMBER_WITH_SUFFIX = re.compile(r"^(\d+)([a-z]?)$")
_NUMBER_IN_TEXT = re.compile(r"\b(\d+)([a-z]?)\b")
_FLAT_LETTER = re.compile(r"\b([a-z])$")


class Fields(Protocol):
    """An address row: a dict, or a database record, keyed by addresses-table column names."""

    def get(self, key: str) -> Any: ...

    def __getitem__(self, key: str) -> Any: ...


@dataclass(frozen=True)
class IndexEntry:
    words: list[str]  # distinct canonical words, numbers and postcode tokens
    street: str
    places: str
    building: str  # building and organisation names
    pao_number: int | None
    pao_suffix: str
    pao_end: int | None
    sao_number: int | None
    sao_suffix: str
    sao_text: str


@lru_cache(maxsize=1 << 18)
def canonical_words(value: str) -> tuple[str, ...]:
    """A field's canonical words. Remembered: streets, towns and localities repeat across
    thousands of addresses, so a full load folds each distinct value once."""
    return tuple(canonical_field_words(fold(value).split()))


def _folded(*values: Any) -> list[str]:
    """Canonical words of each non-empty field, in order."""
    result: list[str] = []
    for value in values:
        if value:
            result.extend(canonical_words(str(value)))
    return result


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


@lru_cache(maxsize=1 << 16)
def split_number(text: str) -> tuple[int | None, str]:
    """(12, 'a') from '12A'; (None, '') when the text is not a number with a suffix."""
    match = _NUMBER_WITH_SUFFIX.match(fold(text))
    return (int(match[1]), match[2]) if match else (None, "")


def _house_number(a: Fields) -> tuple[int | None, str, int | None]:
    """PAO number, suffix and range end: from the LPI, else the postal number or name."""
    if a.get("pao_start_number") is not None:
        suffix = (a.get("pao_start_suffix") or "").lower()
        return a["pao_start_number"], suffix, a.get("pao_end_number")
    if a.get("building_number") is not None:
        return a["building_number"], "", None
    number, suffix = split_number(a.get("building_name") or "")
    return number, suffix, None


def _flat_number(a: Fields) -> tuple[int | None, str]:
    """SAO number and suffix: from the LPI, else found in the postal sub-building name."""
    if a.get("sao_start_number") is not None:
        return a["sao_start_number"], (a.get("sao_start_suffix") or "").lower()
    return flat_in_text(a.get("sao_text") or a.get("sub_building_name") or "")


@lru_cache(maxsize=1 << 16)
def flat_in_text(text: str) -> tuple[int | None, str]:
    """(2, 'a') from 'FLAT 2A', (None, 'b') from 'FLAT B', (None, '') when neither."""
    folded = fold(text)
    match = _NUMBER_IN_TEXT.search(folded)
    if match:
        return int(match[1]), match[2]
    letter = _FLAT_LETTER.search(folded)
    return None, letter[1] if letter else ""


def _building_name(a: Fields) -> str | None:
    """The postal building name, unless it is really a number ('12A')."""
    name = a.get("building_name")
    return None if name and split_number(name)[0] is not None else name


def _number_words(numbers: list[tuple[int | None, str]]) -> list[str]:
    words = []
    for number, suffix in numbers:
        if number is not None:
            words.append(str(number))
            if suffix:
                words.append(f"{number}{suffix}")
    return words


def _postcode_words(postcode: str | None) -> list[str]:
    if not postcode:
        return []
    compact = postcode.replace(" ", "").lower()
    return [compact, compact[:-3]] if len(compact) >= 5 else [compact]


def free_text_entry(address: str, postcode: str | None) -> IndexEntry:
    """The entry of an address known only as one line of text (a plain CSV load): its
    numbers, flat and postcode read as a query would read them, the rest as its name."""
    query = parse_query(address)
    words = canonical_field_words([w for w in query.words if w not in NOISE_WORDS])
    house, flat = query.house, query.flat
    numbers = _number_words(
        [
            (house.value, house.suffix) if house else (None, ""),
            (flat.value, flat.suffix) if flat else (None, ""),
        ]
    )
    postcode_words = _postcode_words(
        postcode or (query.postcode.display if query.postcode else None)
    )
    return IndexEntry(
        words=_distinct([w for w in words if len(w) > 1] + numbers + postcode_words),
        street=" ".join(words),
        places="",
        building="",
        pao_number=house.value if house else None,
        pao_suffix=house.suffix if house else "",
        pao_end=house.end if house else None,
        sao_number=flat.value if flat else None,
        sao_suffix=flat.suffix if flat else "",
        sao_text="",
    )


@lru_cache(maxsize=1 << 16)
def street_words(
    dependent: str | None, thoroughfare: str | None, description: str | None
) -> tuple[str, ...]:
    """The words of an address's streets: postal first, then the gazetteer's own (a street
    repeats on dozens of addresses, so this is remembered)."""
    words = _folded(dependent, thoroughfare)
    return tuple(words + [w for w in _folded(description) if w not in words])


@lru_cache(maxsize=1 << 16)
def place_words(*places: str | None) -> tuple[str, ...]:
    """The distinct words of an address's localities and towns (remembered, as streets)."""
    return tuple(_distinct(_folded(*places)))


def index_entry(a: Fields) -> IndexEntry:
    """The index entry of an address row (columns as in the addresses table)."""
    if a.get("source") == "csv":
        return free_text_entry(a["address"], a.get("postcode"))
    street = street_words(
        a.get("dependent_thoroughfare"), a.get("thoroughfare"), a.get("street_description")
    )
    places = place_words(
        a.get("locality"),
        a.get("town_name"),
        a.get("double_dependent_locality"),
        a.get("dependent_locality"),
        a.get("post_town"),
    )
    building = _distinct(
        _folded(
            a.get("organisation_name"),
            a.get("lpi_organisation"),
            a.get("department_name"),
            _building_name(a),
            a.get("pao_text"),
        )
    )
    sao_words = _folded(a.get("sao_text") or a.get("sub_building_name"))
    pao_number, pao_suffix, pao_end = _house_number(a)
    sao_number, sao_suffix = _flat_number(a)
    numbers = _number_words([(pao_number, pao_suffix), (pao_end, ""), (sao_number, sao_suffix)])
    postcode = _postcode_words(a.get("postcode"))
    words = [w for w in (*building, *sao_words, *street, *places) if len(w) > 1]
    return IndexEntry(
        words=_distinct([*words, *numbers, *postcode]),
        street=" ".join(street),
        places=" ".join(places),
        building=" ".join(building),
        pao_number=pao_number,
        pao_suffix=pao_suffix,
        pao_end=pao_end,
        sao_number=sao_number,
        sao_suffix=sao_suffix,
        sao_text=" ".join(sao_words),
    )
