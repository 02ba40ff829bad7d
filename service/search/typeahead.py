"""The database stage of typeahead: the completion lists of the texts a query may stand for
(service.search.completion says how they are built and why a keystroke's cost is bounded).

At most five small statements, whatever the number of addresses: the longest stored key of
each text; only when none is found whole, the vocabulary's likely words for misspelt ones and
the keys of the corrected texts; the listed addresses (at most LIST_SIZE a key); and, when the
query holds a whole postcode, that postcode's addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA

from service.db.types import Connection
from service.search.candidates import allowed_typos
from service.search.completion import key_prefixes, query_texts, query_words
from service.sqlfiles import sql

CORRECTIONS_PER_WORD = 4


@dataclass(frozen=True)
class Found:
    """The longest stored key a text starts with."""

    key: str
    saturated: bool


async def longest_keys(conn: Connection, texts: list[str]) -> dict[str, Found]:
    """For each text, the longest stored key it starts with (texts with none are left out)."""
    if not texts:
        return {}
    rows = await conn.fetch(sql(__package__, "completion_keys"), key_prefixes(texts), texts)
    return {row["text"]: Found(row["key"], row["saturated"]) for row in rows}


def answers_whole(found: dict[str, Found]) -> bool:
    """Whether some text's list holds every address it could mean: the whole text is a key,
    or the key reached lists every address of its branch."""
    return any(text == f.key or not f.saturated for text, f in found.items())


async def corrections(conn: Connection, words: list[str]) -> dict[str, str]:
    """For each word (long enough to be misspelt) the vocabulary does not hold, the most
    common vocabulary word within its allowed typos."""
    asked = sorted({w for w in words if allowed_typos(w) and w.isalpha()})
    if not asked:
        return {}
    known = {row["word"] for row in await conn.fetch(sql(__package__, "exact_words"), asked)}
    unknown = [w for w in asked if w not in known]
    if not unknown:
        return {}
    rows = await conn.fetch(sql(__package__, "fuzzy_words"), unknown, CORRECTIONS_PER_WORD)
    best: dict[str, tuple[int, str]] = {}
    for row in rows:
        word, asked_word, frequency = row["word"], row["asked"], row["frequency"]
        near = OSA.distance(word, asked_word) <= allowed_typos(asked_word)
        if near and frequency > best.get(asked_word, (-1, ""))[0]:
            best[asked_word] = (frequency, word)
    return {asked_word: word for asked_word, (_, word) in best.items()}


async def completion_candidates(conn: Connection, text: str, *, typing: bool) -> list[Any]:
    """The addresses listed by the longest stored keys of the texts the query may stand for
    (with misspelt words corrected when no text is found whole), for the ranker."""
    texts = query_texts(text, typing=typing)
    found = await longest_keys(conn, texts)
    if not answers_whole(found):
        fixes = await corrections(conn, query_words(text))
        if fixes:
            fixed = query_texts(text, typing=typing, corrections=fixes)
            found.update(await longest_keys(conn, [t for t in fixed if t not in found]))
    keys = sorted({f.key for f in found.values()})
    if not keys:
        return []
    return list(await conn.fetch(sql(__package__, "completion_candidates"), keys))
