"""The typeahead completions as they were built before the bounded builder, every form in
memory at once (service/search/completion.py at 19accdc, unchanged but for its imports and
docstrings): the reference the bounded builder (loaders.searchindex.completion_lists) must
store exactly. Also the bounded builder fed in memory, as the database feeds it."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from loaders.searchindex.completion_lists import Completion, CompletionBuilder, Entry
from service.search.completion import LIST_SIZE, MAX_FORMS, MAX_KEY, address_forms, static_weight

Address = tuple[int, str, int | None]  # (uprn, displayed address, logical status)
Stored = dict[str, tuple[bool, list[int]]]  # key: (saturated, uprns)

Form = tuple[str, tuple[int, int, int], int]  # (form, static weight, uprn)
_AFTER_EVERY_CHARACTER, _BEFORE_EVERY_CHARACTER = "\x7f", "\x01"


@dataclass(frozen=True)
class _Sorted:
    texts: list[str]
    ranks: list[int]
    uprn_of_rank: list[int]


def _sorted(forms: Iterable[Form]) -> _Sorted:
    weights: dict[int, tuple[int, int, int]] = {}
    texts = []
    for form, weight, uprn in forms:
        weights[uprn] = weight
        texts.append((form, uprn))
    uprns = sorted(weights, key=lambda uprn: (weights[uprn], uprn))
    rank_of = {uprn: rank for rank, uprn in enumerate(uprns)}
    keyed = sorted({f"{form}\x00{rank_of[uprn]:09d}" for form, uprn in texts})
    return _Sorted(keyed, [int(text[-9:]) for text in keyed], uprns)


def forms_of(addresses: Iterable[Address]) -> list[Form]:
    """Every (form, static weight, uprn) of the addresses."""
    return [
        (form, static_weight(address, status), uprn)
        for uprn, address, status in addresses
        for form in address_forms(address)
    ]


def stored(completions: Iterable[Completion]) -> Stored:
    """The keys as the table search_completions holds them."""
    return {c.key: (c.saturated, c.uprns) for c in completions}


def reference_completions(forms: Iterable[Form]) -> Iterator[Completion]:
    """The stored keys from every (form, static weight, uprn), as the old builder made them."""
    ordered = _sorted(forms)
    yield from _children(ordered, 0, len(ordered.texts), 0)


def bounded_completions(
    forms: list[Form], *, bucket_entries: int, batch: int = 1000
) -> list[Completion]:
    """The bounded builder's keys, fed as the database feeds it: every form with its address's
    rank in static weight order, sorted by form, in batches."""
    weights = {uprn: weight for _, weight, uprn in forms}
    rank_of = {
        uprn: rank for rank, uprn in enumerate(sorted(weights, key=lambda u: (weights[u], u)))
    }
    entries: list[Entry] = sorted((form, rank_of[uprn], uprn) for form, _, uprn in forms)
    builder = CompletionBuilder(bucket_entries=bucket_entries)
    built = [
        c
        for start in range(0, len(entries), batch)
        for c in builder.add(entries[start : start + batch])
    ]
    return [*built, *builder.finish()]


def _children(forms: _Sorted, start: int, end: int, depth: int) -> Iterator[Completion]:
    texts, index = forms.texts, start
    while index < end:
        key = texts[index][: depth + 1]
        if key.endswith("\x00"):
            index = bisect.bisect_left(texts, key[:-1] + _BEFORE_EVERY_CHARACTER, index, end)
            continue
        stop = bisect.bisect_left(texts, key + _AFTER_EVERY_CHARACTER, index, end)
        completion = _completion(key, forms, index, stop)
        yield completion
        if completion.saturated and depth + 1 < MAX_KEY:
            yield from _children(forms, index, stop, depth + 1)
        index = stop


def _completion(key: str, forms: _Sorted, start: int, stop: int) -> Completion:
    ranks = forms.ranks[start:stop]
    uprns = _best_addresses(forms, ranks, 2 * LIST_SIZE)
    if len(uprns) <= LIST_SIZE < len(ranks):
        uprns = _best_addresses(forms, ranks, LIST_SIZE * MAX_FORMS)
    saturated = len(uprns) > LIST_SIZE or len(ranks) > LIST_SIZE * MAX_FORMS
    return Completion(key, uprns[:LIST_SIZE], saturated)


def _best_addresses(forms: _Sorted, ranks: list[int], entries: int) -> list[int]:
    best = heapq.nsmallest(entries, ranks) if len(ranks) > entries else sorted(ranks)
    return list(dict.fromkeys(forms.uprn_of_rank[rank] for rank in best))
