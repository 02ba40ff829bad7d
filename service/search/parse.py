"""Query understanding: a resident's free text split into what it says — a postcode (full or
outward only), a house number (with suffix or range), a flat or unit, and the remaining words.
Pure: no database, no ranking."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.postcodes.parse import Postcode, find_postcode, is_outward_code
from service.search.normalise import fold
from service.search.vocabulary import SUB_BUILDING_WORDS

MAX_QUERY_LENGTH = 200
_NUMBER = re.compile(r"^(\d{1,5})([a-z]?)$")
_RANGE = re.compile(r"^(\d{1,5})([a-z]?)-(\d{1,5})([a-z]?)$")
_FLAT_OF = re.compile(r"^(\d{1,5})([a-z]?)/(\d{1,5})([a-z]?)$")
_LETTER = re.compile(r"^[a-z]$")
# "Ground floor flat 23 Dairy Street": a flat named by its floor, at number 23.
FLOOR_WORDS = frozenset(
    {"ground", "first", "second", "third", "fourth", "top", "basement", "lower", "upper", "floor"}
)
# Words a resident adds that no address holds.
NOISE_WORDS = frozenset({"uk", "gb", "united", "kingdom", "england", "wales", "scotland"})


@dataclass(frozen=True)
class Number:
    """A house or flat number: 12, 12A, 12-14; a flat may be a letter alone (Flat B)."""

    value: int | None
    suffix: str = ""
    end: int | None = None

    def __str__(self) -> str:
        start = f"{self.value if self.value is not None else ''}{self.suffix}"
        return f"{start}-{self.end}" if self.end else start


@dataclass(frozen=True)
class ParsedQuery:
    """What a query says, in folded lower-case words."""

    postcode: Postcode | None = None
    outward: str | None = None  # an outward code alone, e.g. "FX1"
    house: Number | None = None
    flat: Number | None = None
    words: tuple[str, ...] = ()
    prefix: str | None = None  # the last word, still being typed (typeahead)
    numbers: tuple[str, ...] = field(default=(), repr=False)  # every number as typed

    @property
    def is_empty(self) -> bool:
        return not (
            self.postcode or self.outward or self.house or self.flat or self.words or self.prefix
        )


def _number(token: str) -> Number | None:
    match = _NUMBER.match(token)
    return Number(int(match[1]), match[2]) if match else None


def _take_postcode(text: str) -> tuple[Postcode | None, str]:
    found = find_postcode(text)
    if not found:
        return None, text
    postcode, (start, end) = found
    return postcode, f"{text[:start]} {text[end:]}"


class _Reader:
    """Walks the folded tokens once, filling in the parts of the query."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.house: Number | None = None
        self.flat: Number | None = None
        self.outward: str | None = None
        self.words: list[str] = []
        self.loose_numbers: list[Number] = []

    def read(self) -> None:
        index = 0
        while index < len(self.tokens):
            index = self._read_at(index)

    def _read_at(self, index: int) -> int:
        token = self.tokens[index]
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        describes_flat = index > 0 and self.tokens[index - 1] in FLOOR_WORDS
        flat_marker = token in SUB_BUILDING_WORDS and not describes_flat
        if flat_marker and following and self._flat_marker(following):
            return index + 2
        if self._numbers(token):
            return index + 1
        if (
            is_outward_code(token)
            and self.words[-1:] != ["flat"]
            and self._looks_like_outward(index)
        ):
            self.outward = token.upper()
            return index + 1
        if token not in NOISE_WORDS:
            self.words.append(token)
        return index + 1

    def _flat_marker(self, token: str) -> bool:
        """'flat 2', 'flat 2a', 'flat b': the flat, unless one is already known."""
        number = _number(token)
        if number is None and _LETTER.match(token):
            number = Number(None, token)
        if number is None or self.flat is not None:
            return False
        self.flat = number
        return True

    def _numbers(self, token: str) -> bool:
        if match := _FLAT_OF.match(token):
            self.flat = self.flat or Number(int(match[1]), match[2])
            self.house = Number(int(match[3]), match[4])
            return True
        if match := _RANGE.match(token):
            self.house = Number(int(match[1]), match[2], int(match[3]))
            return True
        number = _number(token)
        if number is not None:
            self.loose_numbers.append(number)
            return True
        return False

    def _looks_like_outward(self, index: int) -> bool:
        """An outward code ends the query (or comes just before a noise word) and holds a digit."""
        rest = [t for t in self.tokens[index + 1 :] if t not in NOISE_WORDS]
        return not rest and any(c.isdigit() for c in self.tokens[index])

    def settle_numbers(self) -> None:
        """Loose numbers: the last is the house number; one before it is the flat
        ("2, 12 High Street")."""
        numbers = self.loose_numbers
        if self.house is None and numbers:
            self.house = numbers.pop()
        if self.flat is None and numbers:
            self.flat = numbers.pop()


def parse_query(text: str, *, typeahead: bool = False) -> ParsedQuery:
    """Understand a free-text address query. With typeahead, the last word (when the text does
    not end in a space) is a prefix still being typed."""
    postcode, rest = _take_postcode(text[:MAX_QUERY_LENGTH])
    tokens = fold(rest).split()
    prefix = None
    if typeahead and tokens and not text[-1:].isspace() and not postcode:
        last = tokens[-1]
        if not _NUMBER.match(last) and not _RANGE.match(last) and not _FLAT_OF.match(last):
            prefix = tokens.pop()
    reader = _Reader(tokens)
    reader.read()
    reader.settle_numbers()
    numbers = tuple(t for t in tokens if t[:1].isdigit())
    outward = reader.outward if postcode is None else None
    return ParsedQuery(
        postcode, outward, reader.house, reader.flat, tuple(reader.words), prefix, numbers
    )
