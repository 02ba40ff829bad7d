"""The one database stage of search: find the vocabulary words a query's words may mean (exact,
abbreviated, misspelt or half-typed), then a bounded set of candidate addresses through the
GIN index on their word ids — never a scan of the addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

from service.db.types import Connection
from service.search.parse import ParsedQuery
from service.search.vocabulary import query_alternatives
from service.sqlfiles import sql

FUZZY_PER_WORD = 8
PREFIX_PER_WORD = 40
CANDIDATE_LIMIT = 200  # per probe: the best-covered addresses, for the ranker
MIN_PREFIX = 2  # one letter typed says too little to look words up by
SMALL_SET = 3000  # a word held by fewer addresses than this is selective on its own
COMMON_SET = 20_000  # a pair of words both this common sifts too many addresses to be worth it


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


def exact_tokens(query: ParsedQuery) -> list[str]:
    """The index tokens a query's house and flat numbers and outward code must match exactly."""
    tokens = [
        str(n.value) for n in (query.house, query.flat) if n is not None and n.value is not None
    ]
    return [*tokens, query.outward.lower()] if query.outward else tokens


async def find_word_sets(conn: Connection, query: ParsedQuery) -> list[WordSet]:
    """For each query word, number and outward code, the vocabulary words it may mean (exact,
    abbreviated, misspelt, or — for the word being typed — begun); those with none are
    dropped. Three small statements at most, whatever the query."""
    words = [WordSet(word) for word in query.words]
    exact = [WordSet(token) for token in exact_tokens(query)]
    alternatives = {s.asked: query_alternatives(s.asked) for s in words}
    alternatives.update({s.asked: (s.asked,) for s in exact})
    wanted = sorted({a for alts in alternatives.values() for a in alts})
    rows = await conn.fetch(sql(__package__, "exact_words"), wanted) if wanted else []
    found = {row["word"]: row for row in rows}
    for word_set in (*words, *exact):
        for alternative in alternatives[word_set.asked]:
            if alternative in found:
                row = found[alternative]
                word_set.add(row["id"], row["word"], row["frequency"])
    await _add_typo_matches(conn, words)
    if query.prefix and len(query.prefix) >= MIN_PREFIX:
        words.append(await _prefix_set(conn, query.prefix))
    return [s for s in (*words, *exact) if s.ids]


SWAPS_UP_TO = 6  # letters: a longer word keeps enough trigrams with two letters swapped


def swapped_letters(words: list[str]) -> tuple[list[str], list[str]]:
    """Each word short enough to lose its trigrams (SWAPS_UP_TO letters) with two neighbouring
    (different) letters swapped, as columns (word, swapped)."""
    pairs = [
        (word, f"{word[:i]}{word[i + 1]}{word[i]}{word[i + 2 :]}")
        for word in words
        if len(word) <= SWAPS_UP_TO
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    ]
    return [asked for asked, _ in pairs], [swapped for _, swapped in pairs]


async def fuzzy_words(
    conn: Connection, words: list[str], per_word: int, *, swap: list[str]
) -> list[Any]:
    """Vocabulary words that may be what each of ``words`` misspells (service/search/sql/
    fuzzy_words.sql, fuzzy_or_swapped_words.sql): the caller keeps those few enough typos
    away. Two swapped letters are tried too for the words in ``swap``: search passes only
    those the vocabulary lacks as typed (a known word is seldom a transposition, and each
    swap costs an index probe)."""
    asked, swapped = swapped_letters(swap)
    if not swapped:
        return list(await conn.fetch(sql(__package__, "fuzzy_words"), words, per_word))
    statement = sql(__package__, "fuzzy_or_swapped_words")
    return list(await conn.fetch(statement, words, per_word, asked, swapped))


async def _add_typo_matches(conn: Connection, sets: list[WordSet]) -> None:
    fuzzy = sorted({s.asked for s in sets if allowed_typos(s.asked)})
    if not fuzzy:
        return
    unknown = sorted({s.asked for s in sets if allowed_typos(s.asked) and not s.ids})
    rows = await fuzzy_words(conn, fuzzy, FUZZY_PER_WORD, swap=unknown)
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
    for row in await conn.fetch(sql(__package__, "prefix_words"), pattern, PREFIX_PER_WORD):
        word_set.add(row["id"], row["word"], row["frequency"])
    return word_set


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
    conn: Connection,
    sets: list[WordSet],
    filters: Filters,
    *,
    enough: int,
    limit: int = CANDIDATE_LIMIT,
) -> list[Any]:
    """Addresses holding a word of each set in a probe, best-covered first. Later probes (in
    case a word was misread) run only while fewer than ``enough`` candidates are found and
    none holds every word asked, and never one that would sift common words only."""
    every_id = sorted({i for s in sets for i in s.ids})
    found: dict[int, Any] = {}
    for plan in probe_pairs(sets):
        if found and min(s.size for s in plan) > COMMON_SET:
            continue
        first, second = list(plan[0].ids), list(plan[-1].ids)
        rows = await conn.fetch(
            sql(__package__, "word_candidates"),
            every_id,
            first,
            second,
            *filters.values(),
            limit,
        )
        for row in rows:
            found.setdefault(row["uprn"], row)
        holds_all = any(row["matched"] >= len(sets) for row in rows)
        if len(found) >= enough or holds_all:
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
