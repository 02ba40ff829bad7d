"""The database stage of typeahead: the completion lists of the texts a query may stand for
(service.search.completion says how they are built and why a keystroke's cost is bounded).

At most four small statements, whatever the number of addresses: the addresses listed by
the longest stored key of each text (at most LIST_SIZE a key, SAMPLE_RANKED of a sample); only
when no listed address begins with the text, the vocabulary's likely words for misspelt ones,
and the lists of the corrected texts; then what the ranker reads of the few worth ranking.
(The engine sends the rare long text all of whose lists are samples to the word index
instead: needs_word_search.)"""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import OSA

from service.db.types import Connection
from service.search.bias import Bias
from service.search.candidates import allowed_typos, fuzzy_words
from service.search.completion import (
    MAX_KEY,
    begins_with,
    key_prefixes,
    query_texts,
    query_words,
    shown_text,
)
from service.search.rank import shown_words
from service.sqlfiles import sql

CORRECTIONS_PER_WORD = 4
# Of a sample list (a common prefix) a keystroke reads this many, home first then by static
# weight (a sample is a sample); and when no listed address begins with the text (misspelt),
# the ranker sees this many of those sharing most words with it.
SAMPLE_RANKED = 50
# Suggestions an autocomplete answer holds by default, and at most. When some listed addresses
# begin with the text, the others are ranked only to fill the answer.
SUGGESTED, MOST_SUGGESTED = 8, 20


async def listed(conn: Connection, texts: list[str], *, sample: int) -> list[Any]:
    """The addresses listed by the longest stored key of each text (the first ``sample`` of
    a sample list), each with ``whole``: whether some text was answered whole."""
    if not texts:
        return []
    statement = sql(__package__, "completion_candidates")
    return list(await conn.fetch(statement, key_prefixes(texts), texts, sample))


async def corrections(conn: Connection, words: list[str]) -> dict[str, str]:
    """For each word long enough to be misspelt, the vocabulary word fewest typos away from
    it (itself when the vocabulary holds it), the most common of those."""
    asked = sorted({w for w in words if allowed_typos(w) and w.isalpha()})
    if not asked:
        return {}
    rows = await fuzzy_words(conn, asked, CORRECTIONS_PER_WORD, swap=asked)
    best: dict[str, tuple[int, int, str]] = {}
    for row in rows:
        word, asked_word = row["word"], row["asked"]
        typos = OSA.distance(word, asked_word)
        rank = (typos, -row["frequency"], word)
        if typos <= allowed_typos(asked_word) and rank < best.get(asked_word, (99, 0, "")):
            best[asked_word] = rank
    return {asked_word: word for asked_word, (_, _, word) in best.items() if word != asked_word}


async def completion_candidates(
    conn: Connection, text: str, *, typing: bool, sample: int = SAMPLE_RANKED
) -> list[Any]:
    """The addresses listed by the longest stored keys of the texts the query may stand for,
    and, unless a text is answered whole by addresses that begin with it, of the texts with
    misspelt words corrected ('2 ganville' lists '2 ga...', none of them Granville)."""
    texts = query_texts(text, typing=typing)
    rows = await listed(conn, texts, sample=sample)
    if answered(rows, texts):
        return rows
    fixes = await corrections(conn, query_words(text))
    fixed = [t for t in query_texts(text, typing=typing, corrections=fixes) if t not in texts]
    if not fixed:
        return rows
    seen = {row["uprn"] for row in rows}
    more = await listed(conn, fixed, sample=sample)
    return rows + [row for row in more if row["uprn"] not in seen]


async def with_ranked_columns(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    """The chosen listed addresses with what the ranker reads, and their shown words (read
    only for the few chosen: a keystroke lists up to LIST_SIZE)."""
    if not rows:
        return []
    statement = sql(__package__, "ranked_rows")
    found = {r["uprn"]: r for r in await conn.fetch(statement, [row["uprn"] for row in rows])}
    return [{**found[row["uprn"]], "shown": shown(row)} for row in rows if row["uprn"] in found]


def shown(row: Any) -> str:
    """A listed address's canonical shown words (stored by the search-index builder; made
    here for an address indexed before it stored them)."""
    return row["shown"] or shown_text(row["address"])


def answered(rows: list[Any], texts: list[str]) -> bool:
    """Whether a text was answered whole and some listed address begins with a text."""
    whole = bool(rows) and rows[0]["whole"]
    return whole and any(begins_with(shown(row), texts) for row in rows)


def needs_word_search(rows: list[Any], text: str) -> bool:
    """Whether only the word index can answer: the text runs past the longest key (MAX_KEY)
    and every address listed for it is from a sample ('electricity sub station adjacent to
    38 ...': hundreds share the first MAX_KEY characters)."""
    return len(" ".join(query_words(text))) > MAX_KEY and all(row["sampled"] for row in rows)


def worth_ranking(
    rows: list[Any], text: str, *, typing: bool, bias: Bias | None, fill: int = SUGGESTED
) -> list[Any]:
    """What the ranker sees (ranking is what a keystroke costs). When some listed addresses
    begin with one of the texts: the best of those, twice as many as the answer holds
    (``fill``; they all fit the text, so the order below seldom leaves the ranker more to do),
    topped up to a full answer by the others sharing most words with the texts. When none does
    (a misspelt or reordered text): the SAMPLE_RANKED sharing most words. Best means sharing
    most words, then the caller's home and nearest, then by static weight."""
    texts = query_texts(text, typing=typing, cut=False)
    literal: list[Any] = []
    others: list[Any] = []
    for row in rows:
        (literal if begins_with(shown(row), texts) else others).append(row)
    away = bias.nearness if bias is not None and not bias.is_empty else (lambda row: 0.0)
    typed = {word for whole in texts for word in whole.split()}

    def best(pool: list[Any], count: int) -> list[Any]:
        if len(pool) <= count:
            return pool
        return sorted(
            pool,
            key=lambda row: (-len(typed & shown_words(shown(row))), away(row), row["position"]),
        )[: max(count, 0)]

    if not literal:
        return best(rows, SAMPLE_RANKED)
    chosen = best(literal, min(2 * fill, SAMPLE_RANKED))
    return chosen + best(others, fill - len(chosen))
