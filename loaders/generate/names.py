"""Name makers: combine the word lists into place, street, building and organisation names."""

from __future__ import annotations

import random

from loaders.generate import words

_SMALL_WORDS = frozenset({"AND", "ON", "THE", "WITH", "OF"})
_STREET_TYPE_NAMES = tuple(name for name, _ in words.STREET_TYPES)
_STREET_TYPE_WEIGHTS = tuple(weight for _, weight in words.STREET_TYPES)


class UniqueNames:
    """Hands out place names never handed out before by this instance."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def take(self, name: str) -> bool:
        """Claim a name; False when it was already taken."""
        if name in self._used:
            return False
        self._used.add(name)
        return True

    def place(self, *, plain: bool = False) -> str:
        """A new plausible English place name such as ``ASHBURY`` or ``LITTLE FENWICK``
        (``plain``: a one-word name, as towns have)."""
        for _ in range(200):
            stem = self._rng.choice(words.PLACE_STARTS) + self._rng.choice(words.PLACE_ENDS)
            name = stem if plain else self._rng.choice(words.PLACE_PATTERNS).format(stem)
            if self.take(name):
                return name
        return self.numbered(stem)

    def numbered(self, stem: str) -> str:
        """``stem`` with the first free quarter word or number, for when combinations run out."""
        for quarter in words.PARISH_QUARTERS:
            if self.take(f"{stem} {quarter}"):
                return f"{stem} {quarter}"
        number = 2
        while not self.take(f"{stem} {number}"):
            number += 1
        return f"{stem} {number}"


def display_name(name: str) -> str:
    """Title case for boundaries and contacts: ``SAINT MARY'S ROAD`` → ``Saint Mary's Road``."""
    parts = name.split()
    return " ".join(
        part.lower() if index and part in _SMALL_WORDS else part.capitalize()
        for index, part in enumerate(parts)
    )


def street_name(rng: random.Random, nearby_places: tuple[str, ...]) -> str:
    """A street name: usually root + type, sometimes a common or untyped name or a place road."""
    draw = rng.random()
    if draw < 0.10:
        return rng.choice(words.COMMON_STREETS)
    if draw < 0.17:
        return rng.choice(words.UNTYPED_STREETS)
    if draw < 0.21 and nearby_places:
        return f"{rng.choice(nearby_places)} {rng.choice(('ROAD', 'LANE', 'WAY'))}"
    street_type = rng.choices(_STREET_TYPE_NAMES, _STREET_TYPE_WEIGHTS)[0]
    return f"{rng.choice(words.STREET_ROOTS)} {street_type}"


def postal_spelling(name: str, rng: random.Random) -> str:
    """How Royal Mail may spell a street the council spells ``name`` (mostly identically)."""
    if "SAINT " in name and rng.random() < 0.5:
        return name.replace("SAINT ", "ST ").replace("'", "")
    if name.startswith("ST ") and rng.random() < 0.5:
        return "SAINT " + name[3:]
    if "'" in name:
        return name.replace("'", "")
    if rng.random() < 0.01 and name.endswith(" GARDENS"):
        return name.removesuffix("S")
    return name


def building_name(rng: random.Random) -> str:
    """A block's name such as ``VICTORIA HOUSE`` or ``ELM COURT``."""
    return f"{rng.choice(words.STREET_ROOTS)} {rng.choice(words.BUILDING_ENDS)}"


def estate_name(rng: random.Random, town: str) -> str:
    """An industrial estate or business park name."""
    root = rng.choice((town, rng.choice(words.STREET_ROOTS), rng.choice(words.ORGANISATION_WORDS)))
    return f"{root} {rng.choice(words.ESTATE_ENDS)}"


def organisation_name(rng: random.Random, pattern: str, town: str) -> str:
    """Fill an organisation pattern's {w} word, {s} surnames and {t} town."""
    name = pattern.replace("{w}", rng.choice(words.ORGANISATION_WORDS)).replace("{t}", town)
    while "{s}" in name:
        name = name.replace("{s}", rng.choice(words.SURNAMES), 1)
    return name


def pub_name(rng: random.Random) -> str:
    """A pub name such as ``THE RED LION``."""
    return f"THE {rng.choice(words.PUB_COLOURS)} {rng.choice(words.PUB_ANIMALS)}"


def council_spelling(postal_name: str, rng: random.Random) -> str:
    """How a council may record an organisation Royal Mail knows as ``postal_name``."""
    draw = rng.random()
    if draw < 0.08 and " & " in postal_name:
        return postal_name.replace(" & ", " AND ")
    if draw < 0.14 and postal_name.endswith(" LTD"):
        return postal_name.removesuffix(" LTD") + " LIMITED"
    if draw < 0.18 and postal_name.startswith("THE "):
        return postal_name.removeprefix("THE ")
    return postal_name


def saint_name(rng: random.Random) -> str:
    """A saint's name as a church or school might carry it, e.g. ``ST MARY'S``."""
    return f"ST {rng.choice(words.SAINTS)}'S"


def person_name(rng: random.Random) -> str:
    """A fictional person's name in display case, e.g. ``Helen Marsh``."""
    return display_name(f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)}")
