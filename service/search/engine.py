"""The search pipeline: parse (pure) → word sets and candidates (database) → rank (pure)."""

from __future__ import annotations

from typing import Any

from service.db.types import Connection
from service.search.candidates import (
    CANDIDATE_LIMIT,
    TYPEAHEAD_LIMIT,
    Filters,
    find_candidates,
    find_word_sets,
    postcode_candidates,
)
from service.search.parse import ParsedQuery, parse_query
from service.search.rank import Ranked, rank

# A postcode's own address answering every part of the query exactly needs no wider search;
# anything less (a misremembered postcode, a number only near) searches the words too.
CONFIDENT = 0.99
ENOUGH_CANDIDATES = 50


async def gather_candidates(conn: Connection, query: ParsedQuery, filters: Filters) -> list[Any]:
    """The addresses worth ranking: the postcode's own when one was given, and those sharing
    the query's rarest words unless the postcode's addresses already answer it well."""
    sets = await find_word_sets(conn, query)
    found: dict[int, Any] = {}
    if query.postcode:
        for row in await postcode_candidates(conn, query.postcode.key, sets, filters):
            found[row["uprn"]] = row
        best = rank(query, list(found.values()))[:1]
        if best and best[0].score >= CONFIDENT and best[0].all_words_found:
            return list(found.values())
    if sets:
        limit = TYPEAHEAD_LIMIT if query.prefix else CANDIDATE_LIMIT
        for row in await find_candidates(
            conn, sets, filters, enough=ENOUGH_CANDIDATES, limit=limit
        ):
            found.setdefault(row["uprn"], row)
    return list(found.values())


async def search_addresses(
    conn: Connection, text: str, *, filters: Filters | None = None, typeahead: bool = False
) -> list[Ranked]:
    """Every match for a free-text query, best first (bounded by the candidate limit)."""
    query = parse_query(text, typeahead=typeahead)
    if query.is_empty:
        return []
    candidates = await gather_candidates(conn, query, filters or Filters())
    return rank(query, candidates)
