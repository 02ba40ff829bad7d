"""Typeahead completions, bounded by design: the pure half (the database half is
service.search.typeahead, the builder loaders.searchindex.completions).

Why: a typed prefix such as ``fla`` or ``12 h`` matches a large share of all addresses, and
any plan that finds those matches in the word index (and ranks them) costs time in proportion
to the number of addresses: at 1,000,000 it took 100-340 ms, at 40 million it would not hold.
So the work is done once, at load time, and a keystroke reads one short list by exact key.

What is stored (table search_completions, migration 0009): every address is written as a few
*forms* — its displayed address folded, starting at the flat, at the building, at the house
number and at the street — and every prefix of a form is a *key*. A key holds the addresses
whose forms start with it: all of them while they are at most ``LIST_SIZE`` (the key is then
*complete*), else the ``LIST_SIZE`` best by a static weight (live, shortest, no flat: the
building before its flats) and the key is *saturated*. Only the children of saturated keys are
stored: a complete key already lists every address any longer key of its branch would. So each
address is stored about once per form, plus the bounded sample lists of the common prefixes.

A query reads, for each way its text may be written (as typed; abbreviations expanded; words
misspelt replaced by their likely vocabulary word), the longest stored key its text starts
with: at most ``LIST_SIZE`` addresses, found by one index probe on the key whatever the number
of addresses; the ranker then compares the whole query (earlier words, typos, house number,
postcode) with those that begin with the text, topped up to a full answer, or with the 50
sharing most words when none does (service.search.typeahead.worth_ranking). Forms are made of the
displayed text only, so a suggestion never comes from words the resident cannot see in it.
One case is left to the word index: a text longer than MAX_KEY whose first MAX_KEY characters
hundreds of addresses share (all its lists are samples); by then the text is specific.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

from service.search.normalise import fold
from service.search.vocabulary import QUERY_ALTERNATIVES, SUB_BUILDING_WORDS, canonical_field_words

LIST_SIZE = 200  # addresses a key holds at most: what one keystroke reads and ranks
MAX_KEY = 24  # characters of a form that make keys; longer text is ranked, not looked up
MAX_FORMS = 5
_FLAT_OF = re.compile(r"^(\d+[a-z]?)/(\d+[a-z]?)$")
_NUMBER = re.compile(r"^\d+[a-z]?(-\d+[a-z]?)?$")


@lru_cache(maxsize=1 << 18)
def part_words(part: str) -> tuple[str, ...]:
    """The canonical words of one part (between commas) of a displayed address (remembered:
    streets and towns repeat across thousands of addresses)."""
    return tuple(canonical_field_words(fold(part).split()))


def address_forms(address: str) -> list[str]:
    """The forms a resident may begin typing an address with: the whole displayed address
    and the same from each later part (building, street), and from past a leading flat word or
    house number — all folded, canonical words, cut to MAX_KEY characters."""
    parts = [part_words(part) for part in address.split(",")]
    parts = [words for words in parts if words]
    starts = max(1, len(parts) - 2)  # never from the town or the postcode alone
    forms: list[str] = []
    for index in range(starts):
        rest = [w for words in parts[index:] for w in words]
        forms.append(_key_text(rest))
        first = parts[index][0]
        if len(parts[index]) > 1 and (first in SUB_BUILDING_WORDS or _NUMBER.match(first)):
            forms.append(_key_text(rest[1:]))
    return list(dict.fromkeys(forms))[:MAX_FORMS]


def begins_with(shown: str, texts: Iterable[str]) -> bool:
    """Whether one of an address's forms begins with one of the texts (cut to MAX_KEY), given
    its ``shown_text``. Cheap, as a keystroke checks up to 200 addresses: the texts are looked
    for at the start of a word of the address's canonical text, a little looser than its forms
    (a form starts at a part or past its leading number), which only lets a few more be
    ranked."""
    return any(f" {text[:MAX_KEY]}" in shown for text in texts)


def shown_text(address: str) -> str:
    """The canonical words of a displayed address between single spaces, with one at each end
    (so ' ' + word is found at a word start). The search-index builder stores it for every
    address (address_search.shown), so a keystroke need not make it for each address listed."""
    return f" {' '.join(chain.from_iterable(map(part_words, address.split(','))))} "


def _key_text(words: list[str]) -> str:
    return " ".join(words)[:MAX_KEY]


def static_weight(address: str, logical_status: int | None) -> tuple[int, int, int]:
    """Smaller is shown first in a sample: live addresses, then buildings before flats and
    units, then fewer parts and shorter text."""
    first = address.split(" ", 1)[0].strip(",").lower()
    flat = 1 if first in SUB_BUILDING_WORDS else 0
    return (0 if logical_status == 1 else 1, flat, address.count(",") * 1000 + len(address))


def _expanded(word: str, previous: str | None) -> str:
    """A query word's canonical form: 'st' after a word is Street, elsewhere Saint."""
    if word == "st":
        return "street" if previous and not _NUMBER.match(previous) else "saint"
    alternatives = QUERY_ALTERNATIVES.get(word, ())
    return alternatives[0] if len(alternatives) == 1 else word


def query_words(text: str) -> list[str]:
    """A query's folded words, '2/12' read as flat 2 of number 12."""
    words: list[str] = []
    for word in fold(text).split():
        match = _FLAT_OF.match(word)
        words.extend([match[1], match[2]] if match else [word])
    return words


def query_texts(
    text: str,
    *,
    typing: bool,
    corrections: dict[str, str] | None = None,
    cut: bool = True,
) -> list[str]:
    """The texts a query may stand for, cut to MAX_KEY characters (unless not ``cut``), most
    literal first: as typed; complete words' abbreviations expanded; that and the word being
    typed expanded; and with misspelt words replaced (``corrections``)."""
    words = query_words(text)
    if not words:
        return []
    done = len(words) - 1 if typing else len(words)
    expanded = [
        _expanded(w, words[i - 1] if i else None) if i < done else w for i, w in enumerate(words)
    ]
    last = [*expanded[:-1], _expanded(words[-1], words[-2] if len(words) > 1 else None)]
    variants = [words, expanded, last]
    if corrections:
        variants.append([corrections.get(w, w) for w in expanded])
    texts = [_key_text(v) if cut else " ".join(v) for v in variants]
    return list(dict.fromkeys(t for t in texts if t))


def key_prefixes(texts: Iterable[str]) -> list[str]:
    """Every prefix of each text: the keys to look for (the longest stored one answers)."""
    return sorted({text[:length] for text in texts for length in range(1, len(text) + 1)})
