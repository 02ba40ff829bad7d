"""The search pipeline: parse (pure) → word sets and candidates (database) → rank (pure);
typeahead: completion lists (database) → rank (pure).

The statements run in groups (the word sets and a postcode's own addresses, then, when those do
not answer the query, the candidates sharing its rarest words), each borrowing from ``db``; in
the service every borrowing gets the request's one connection and snapshot (service/db), so an
answer never mixes data versions. Each candidate is ranked once."""

from __future__ import annotations

from typing import Any

from service.db.connections import Connections
from service.db.types import Connection
from service.search.bias import Bias
from service.search.candidates import (
    Filters,
    WordSet,
    find_candidates,
    find_word_sets,
    postcode_candidates,
)
from service.search.completion import LIST_SIZE
from service.search.parse import ParsedQuery, parse_query
from service.search.rank import Ranked, merge_ranked, rank
from service.search.typeahead import (
    SAMPLE_RANKED,
    SUGGESTED,
    completion_candidates,
    needs_word_search,
    with_ranked_columns,
    worth_ranking,
)

# A postcode's own address answering every part of the query exactly needs no wider search;
# anything less (a misremembered postcode, a number only near) searches the words too.
CONFIDENT = 0.99
ENOUGH_CANDIDATES = 50


def answers_the_query(ranked: list[Ranked]) -> bool:
    """Whether the best of a postcode's addresses answers every part of the query."""
    return bool(ranked) and ranked[0].score >= CONFIDENT and ranked[0].all_words_found


async def _sets_and_postcode_matches(
    db: Connections, query: ParsedQuery, filters: Filters, bias: Bias | None
) -> tuple[list[WordSet], list[Ranked]]:
    async with db.connection() as conn:
        sets = await find_word_sets(conn, query)
        in_postcode = (
            await postcode_candidates(conn, query.postcode.key, sets, filters)
            if query.postcode
            else []
        )
    return sets, rank(query, in_postcode, bias=bias)


async def _word_matches(
    db: Connections,
    query: ParsedQuery,
    sets: list[WordSet],
    filters: Filters,
    *,
    seen: set[int],
    bias: Bias | None,
) -> list[Ranked]:
    async with db.connection() as conn:
        rows = await find_candidates(conn, sets, filters, enough=ENOUGH_CANDIDATES)
    return rank(query, [row for row in rows if row["uprn"] not in seen], bias=bias)


async def search_addresses(
    db: Connections, text: str, *, filters: Filters | None = None, bias: Bias | None = None
) -> list[Ranked]:
    """Every match for a free-text query, best first (bounded by the candidate limit)."""
    query = parse_query(text)
    if query.is_empty:
        return []
    filters = filters or Filters()
    sets, ranked = await _sets_and_postcode_matches(db, query, filters, bias)
    if answers_the_query(ranked) or not sets:
        return ranked
    seen = {match.uprn for match in ranked}
    return merge_ranked(ranked, await _word_matches(db, query, sets, filters, seen=seen, bias=bias))


async def _typeahead_candidates(
    conn: Connection, query: ParsedQuery, text: str, *, bias: Bias | None, limit: int
) -> tuple[list[Any], list[Any]] | None:
    """The listed addresses worth ranking, and the addresses of a whole postcode typed that
    no list holds; None when only the word index can answer (needs_word_search)."""
    typing = not text[-1:].isspace()
    # With a home area or a point, read whole samples: the home ones may lie past the first.
    sample = LIST_SIZE if bias is not None and not bias.is_empty else SAMPLE_RANKED
    rows = await completion_candidates(conn, text, typing=typing, sample=sample)
    if needs_word_search(rows, text):
        return None
    chosen = worth_ranking(rows, text, typing=typing, bias=bias, fill=limit)
    in_postcode = (
        await postcode_candidates(conn, query.postcode.key, [], Filters()) if query.postcode else []
    )
    listed = {row["uprn"] for row in rows}
    unlisted = [row for row in in_postcode if row["uprn"] not in listed]
    return await with_ranked_columns(conn, chosen), unlisted


async def complete_addresses(
    db: Connections, text: str, *, bias: Bias | None = None, limit: int = SUGGESTED
) -> list[Ranked]:
    """The ``limit`` best suggestions for text still being typed: the addresses of its completion
    lists (service.search.completion) and, when it holds a whole postcode, that postcode's,
    ranked on the whole text; none that matches no word typed (only a number). Only a long
    text whose first MAX_KEY characters hundreds of addresses share goes to the word index."""
    query = parse_query(text, typeahead=True)
    if query.is_empty:
        return []
    async with db.connection() as conn:
        candidates = await _typeahead_candidates(conn, query, text, bias=bias, limit=limit)
    if candidates is None:
        return (await search_addresses(db, text, bias=bias))[:limit]
    chosen, in_postcode = candidates
    ranked = merge_ranked(rank(query, chosen, bias=bias), rank(query, in_postcode, bias=bias))
    found = [match for match in ranked if match.any_word_found]  # a number alone says little
    return found[:limit]
