"""The one database stage of search: find the vocabulary words a query's words may mean (exact,
abbreviated, misspelt or half-typed), then a bounded set of candidate addresses through the
GIN index on their word ids — never a scan of the addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

from service.dbtypes import Connection
from service.search.parse import ParsedQuery
from service.search.vocabulary import query_alternatives
from service.sqlfiles import sql

FUZZY_PER_WORD = 8
PREFIX_PER_WORD = 40
CANDIDATE_LIMIT = 400
SMALL_SET = 3000  # a word held by fewer addresses than this is selective on its own

_EXACT_WORDS = "SELECT id, word, frequency FROM search_words WHERE word = ANY($1::text[])"
_FUZZY_WORDS = """
SELECT q.word AS asked, w.id, w.word, w.frequency
FROM unnest($1::text[]) AS q(word)
CROSS JOIN LATERAL (
    SELECT id, word, frequency FROM search_words
    WHERE word % q.word
    ORDER BY similarity(word, q.word) DESC, frequency DESC
    LIMIT $2
) w
"""
_PREFIX_WORDS = """
SELECT id, word, frequency FROM search_words
WHERE word LIKE $1 AND word NOT LIKE '% %'
ORDER BY frequency DESC LIMIT $2
"""


@dataclass
class WordSet:
    """The vocabulary words one query word may mean."""

    asked: str
    ids: dict[int, int] = field(default_factory=dict)  # id -> frequency
    words: dict[int, str] = field(default_factory=dict)

    def add(self, word_id: int, word: str, frequency: int) -> None:
        self.ids[word_id] = frequency
        self.words[word_id] = word

    @property
    def size(self) -> int:
        """How many addresses hold one of the words, at most."""
        return sum(self.ids.values())


@dataclass(frozen=True)
class Filters:
    """Restrictions from the request, applied inside the candidate query."""

    postcode_key: str | None = None
    classification: str | None = None  # a prefix, e.g. 'RD'
    status: int | None = None
    custodian: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # BNG minx, miny, maxx, maxy

    def values(self) -> list[Any]:
        """The filter parameters in the order the candidate queries number them."""
        pattern = self.classification.upper() + "%" if self.classification else None
        box = self.bbox or (None, None, None, None)
        return [self.postcode_key, pattern, self.status, self.custodian, *box]


def allowed_typos(word: str) -> int:
    """Edits a misspelt word may be away from the real one: none for short words."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 5 else 2


async def find_word_sets(conn: Connection, query: ParsedQuery) -> list[WordSet]:
    """For each query word, the vocabulary words it may mean; words with none are dropped."""
    sets = [WordSet(word) for word in query.words]
    alternatives = {w: query_alternatives(w) for w in query.words}
    wanted = sorted({a for alts in alternatives.values() for a in alts})
    exact = {row["word"]: row for row in await conn.fetch(_EXACT_WORDS, wanted)} if wanted else {}
    for word_set in sets:
        for alternative in alternatives[word_set.asked]:
            if alternative in exact:
                row = exact[alternative]
                word_set.add(row["id"], row["word"], row["frequency"])
    await _add_typo_matches(conn, sets)
    if query.prefix:
        sets.append(await _prefix_set(conn, query.prefix))
    return [s for s in sets if s.ids]


async def _add_typo_matches(conn: Connection, sets: list[WordSet]) -> None:
    fuzzy = sorted({s.asked for s in sets if allowed_typos(s.asked)})
    if not fuzzy:
        return
    rows = await conn.fetch(_FUZZY_WORDS, fuzzy, FUZZY_PER_WORD)
    for word_set in sets:
        limit = allowed_typos(word_set.asked)
        for row in rows:
            if (
                row["asked"] == word_set.asked
                and OSA.distance(row["word"], word_set.asked) <= limit
            ):
                word_set.add(row["id"], row["word"], row["frequency"])


async def _prefix_set(conn: Connection, prefix: str) -> WordSet:
    word_set = WordSet(prefix)
    pattern = prefix.replace("\\", "").replace("%", "").replace("_", "") + "%"
    for row in await conn.fetch(_PREFIX_WORDS, pattern, PREFIX_PER_WORD):
        word_set.add(row["id"], row["word"], row["frequency"])
    return word_set


def number_words(query: ParsedQuery) -> list[str]:
    """The number tokens of the index a query's numbers may match."""
    words = []
    for number in (query.house, query.flat):
        if number is not None and number.value is not None:
            words.append(str(number.value))
    return words


async def _exact_set(conn: Connection, word: str) -> WordSet:
    word_set = WordSet(word)
    for row in await conn.fetch(_EXACT_WORDS, [word]):
        word_set.add(row["id"], row["word"], row["frequency"])
    return word_set


async def number_and_postcode_sets(conn: Connection, query: ParsedQuery) -> list[WordSet]:
    """Exact sets for the house and flat numbers and an outward code."""
    wanted = number_words(query)
    if query.outward:
        wanted.append(query.outward.lower())
    sets = [await _exact_set(conn, word) for word in wanted]
    return [s for s in sets if s.ids]


def probe_pairs(sets: list[WordSet]) -> list[list[WordSet]]:
    """Which sets to intersect, most selective first: the rarest alone when it is small
    enough, else the two rarest together, then other pairs in case one word was misread."""
    ranked = sorted(sets, key=lambda s: s.size)
    if len(ranked) == 1:
        return [ranked]
    plans = [[ranked[0], ranked[1]]]
    if len(ranked) > 2:
        plans += [[ranked[0], ranked[2]], [ranked[1], ranked[2]]]
    if ranked[0].size <= SMALL_SET:
        plans.append([ranked[0]])
    return plans


async def find_candidates(
    conn: Connection, sets: list[WordSet], filters: Filters, *, enough: int
) -> list[Any]:
    """Addresses holding a word of each set in a probe, best-covered first; later probes run
    only while fewer than ``enough`` candidates are found."""
    every_id = sorted({i for s in sets for i in s.ids})
    found: dict[int, Any] = {}
    for plan in probe_pairs(sets):
        first, second = list(plan[0].ids), list(plan[-1].ids)
        rows = await conn.fetch(
            sql(__package__, "word_candidates"),
            every_id, first, second, *filters.values(), CANDIDATE_LIMIT,
        )  # fmt: skip
        for row in rows:
            found.setdefault(row["uprn"], row)
        if len(found) >= enough:
            break
    return list(found.values())


async def postcode_candidates(
    conn: Connection, postcode_key: str, sets: list[WordSet], filters: Filters
) -> list[Any]:
    """Every address in a postcode (a few dozen at most), for ranking."""
    every_id = sorted({i for s in sets for i in s.ids})
    return list(
        await conn.fetch(
            sql(__package__, "postcode_candidates"),
            every_id,
            postcode_key,
            None,
            *filters.values(),
            CANDIDATE_LIMIT,
        )
    )
