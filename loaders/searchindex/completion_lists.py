"""The stored keys of the typeahead completions and their lists (what is stored, and why a
keystroke's cost is bounded, is service.search.completion), built from the forms of every
address in key order, one bucket at a time: memory holds one bucket, never all the forms.

The input is every entry (form, rank, uprn) sorted by form in C order (the database sorts them;
a form comes before the longer forms it begins, as the old 'form<NUL>rank' strings did), the
rank being the address's position in static weight order: a key's list is its best-ranked
addresses. A *bucket* is the run of forms that begin with one key, built whole by bisection
over its sorted forms. A bucket that would hold more than ``bucket_entries`` forms is split as
the stream reaches that size: its key becomes an *open key*, and its forms are gathered again
by their keys one character longer, each a bucket (or split in turn). So the buckets follow
the data (``1 `` and ``flat `` are split deeper than ``q``) with no counting pass, and one
sorted read of the forms does it all, where a query per bucket would scan them per bucket.

A key's list is decided by its best ``BEST_KEPT`` entries by rank and how many entries it has;
its best entries are among its children's best and the entries whose form is the key itself.
So a key with more entries than that (an open key, or a big key within a bucket) takes its
list from what its children pass up: each rank is sorted once near the key where its form ends
rather than again at every key above it, and an open key holds only its count and best entries
while its forms stream past.

Only the children of saturated keys are stored. An open key is always saturated (it has more
entries than a bucket, and a bucket holds at least ``BEST_KEPT``, more than a complete list
can have), so a bucket's key and what is stored below it are written as soon as it is built.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from service.search.completion import LIST_SIZE, MAX_FORMS, MAX_KEY

Entry = tuple[str, int, int]  # (form, rank of its address in static weight order, uprn)
BEST_KEPT = LIST_SIZE * MAX_FORMS  # the entries that can decide a key's list
# Forms built at once: a few MB. Smaller buckets only mean more open keys, which cost little.
BUCKET_ENTRIES = 20_000
# Folded text is ASCII below this: (key + after) ends the run of forms starting with key.
_AFTER_EVERY_CHARACTER = "\x7f"
_form = itemgetter(0)


@dataclass(frozen=True)
class Completion:
    """A stored key: its addresses, best static weight first, and whether it is a sample."""

    key: str
    uprns: list[int]
    saturated: bool


@dataclass
class _OpenKey:
    """A key whose forms are built in buckets: how many entries it has seen, and the best
    (rank, uprn) of them, best first."""

    key: str
    entries: int = 0
    best: list[tuple[int, int]] = field(default_factory=list)

    def take(self, entries: int, best: list[tuple[int, int]]) -> None:
        """Count a child's entries (or forms that are the key) and keep the best of its best."""
        self.entries += entries
        self.best = sorted(self.best + best)[:BEST_KEPT]

    def completion(self) -> Completion:
        return _completion(self.key, [rank for rank, _ in self.best], self.entries, dict(self.best))


class CompletionBuilder:
    """Fed every entry in batches sorted by form (C order, across the batches too), yields
    the stored keys: each prefix of length one, and each child of a saturated key, with its
    list. It holds the keys open above the current bucket (the root, '', first) and the forms
    gathered for that bucket: those of one key one character longer than the innermost open
    key, or those that are that open key itself."""

    def __init__(self, *, bucket_entries: int = BUCKET_ENTRIES) -> None:
        if bucket_entries < BEST_KEPT:
            raise ValueError(f"a bucket must hold at least {BEST_KEPT} forms, not {bucket_entries}")
        self.bucket_entries = bucket_entries
        self.open = [_OpenKey("")]
        self.gathered: list[Entry] = []

    def add(self, batch: Sequence[Entry]) -> Iterator[Completion]:
        """The keys this batch completes (a bucket is built once the next one begins)."""
        start = 0
        while start < len(batch):
            form = batch[start][0]
            if not form.startswith(self.open[-1].key):
                yield from self._close()
                continue
            if self.gathered and not self._same_bucket(self.gathered[0][0], form):
                yield from self._flush()
            stop = self._bucket_end(batch, start, len(batch))
            self.gathered.extend(batch[start:stop])
            start = stop
            if len(self.gathered) > self.bucket_entries:
                yield from self._split()

    def finish(self) -> Iterator[Completion]:
        """The keys still open, once every entry has been added."""
        while len(self.open) > 1:
            yield from self._close()
        yield from self._flush()

    def _same_bucket(self, first: str, form: str) -> bool:
        length = len(self.open[-1].key) + 1
        return first[:length] == form[:length]

    def _bucket_end(self, entries: Sequence[Entry], start: int, end: int) -> int:
        """Where the bucket of entries[start] ends (entries are sorted by form)."""
        key = self.open[-1].key
        form = entries[start][0]
        if len(form) == len(key):  # forms that are the open key itself
            return bisect.bisect_right(entries, key, start, end, key=_form)
        bucket = form[: len(key) + 1] + _AFTER_EVERY_CHARACTER
        return bisect.bisect_left(entries, bucket, start, end, key=_form)

    def _flush(self) -> Iterator[Completion]:
        """Build the gathered bucket and pass its count and best entries to its open key."""
        gathered, self.gathered = self.gathered, []
        if not gathered:
            return
        parent = self.open[-1]
        if len(gathered[0][0]) == len(parent.key):  # the forms that are the open key itself
            best = heapq.nsmallest(BEST_KEPT, ((rank, uprn) for _, rank, uprn in gathered))
        else:
            bucket = _Bucket(gathered)
            best = bucket.build(gathered[0][0][: len(parent.key) + 1])
            yield from bucket.completions
        if parent.key:  # the root is no key (an empty form is never listed)
            parent.take(len(gathered), best)

    def _close(self) -> Iterator[Completion]:
        yield from self._flush()
        closed = self.open.pop()
        yield closed.completion()
        self.open[-1].take(closed.entries, closed.best)

    def _split(self) -> Iterator[Completion]:
        """The gathered bucket is too big: its key is opened and its buckets one character
        longer are built, but for the last, which may go on in the next batch. (Forms that are
        the open key itself are only counted and ranked, so they are passed on at once.)"""
        if len(self.gathered[0][0]) == len(self.open[-1].key):
            yield from self._flush()
            return
        gathered, self.gathered = self.gathered, []
        self.open.append(_OpenKey(gathered[0][0][: len(self.open[-1].key) + 1]))
        yield from self.add(gathered)


class _Bucket:
    """A bucket's forms in key order, each with its address's rank (an int, so a list's best
    are found by comparing ints), the UPRN of each rank, and the keys built from them."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.texts = [form for form, _, _ in entries]
        self.ranks = [rank for _, rank, _ in entries]
        self.uprn_of_rank = {rank: uprn for _, rank, uprn in entries}
        self.completions: list[Completion] = []

    def build(self, key: str) -> list[tuple[int, int]]:
        """Build the key all the bucket's forms begin with and what is stored below it;
        returns its best BEST_KEPT entries as (rank, uprn), best first."""
        best = self._build(key, 0, len(self.texts))
        return [(rank, self.uprn_of_rank[rank]) for rank in best]

    def _build(self, key: str, start: int, stop: int) -> list[int]:
        """The list of ``key`` (whose forms are forms[start:stop]) and, if it is saturated,
        its children's; returns its best BEST_KEPT ranks, best first. A key with more
        entries than decide a list is saturated: its children are built first and its best
        are among theirs and those of the forms that are the key itself, so each form's rank
        is sorted near the key where it ends, not again at every key above it."""
        entries = stop - start
        if entries <= BEST_KEPT or len(key) == MAX_KEY:
            best = sorted(self.ranks[start:stop])[:BEST_KEPT]
            completion = _completion(key, best, entries, self.uprn_of_rank)
            if completion.saturated and len(key) < MAX_KEY:
                for child, child_start, child_stop in _runs(self.texts, start, stop, len(key)):
                    self._build(child, child_start, child_stop)
        else:
            own = bisect.bisect_right(self.texts, key, start, stop)  # forms that are the key
            parts = [self.ranks[start:own]]
            for child, child_start, child_stop in _runs(self.texts, own, stop, len(key)):
                parts.append(self._build(child, child_start, child_stop))
            best = sorted(itertools.chain.from_iterable(parts))[:BEST_KEPT]
            completion = _completion(key, best, entries, self.uprn_of_rank)
        self.completions.append(completion)
        return best


def _runs(texts: list[str], start: int, stop: int, depth: int) -> Iterator[tuple[str, int, int]]:
    """The keys one character longer than ``depth`` within texts[start:stop] (sorted, so a
    key's forms are a run found by bisection), each with its run."""
    index = start
    while index < stop:
        key = texts[index][: depth + 1]
        if len(key) == depth:  # forms that end here were listed by the parent: step past
            index = bisect.bisect_right(texts, key, index, stop)
            continue
        end = bisect.bisect_left(texts, key + _AFTER_EVERY_CHARACTER, index, stop)
        yield key, index, end
        index = end


def _completion(
    key: str, best: list[int], entries: int, uprn_of_rank: Mapping[int, int]
) -> Completion:
    """A key's list from its best BEST_KEPT ranks (best first) and how many entries it has:
    its addresses by static weight, each once, at most LIST_SIZE. An address has at most
    MAX_FORMS forms in a run, so more entries than that many lists is a sample; most have one
    or two, so twice LIST_SIZE entries nearly always hold LIST_SIZE addresses."""
    uprns = _addresses(best[: 2 * LIST_SIZE], uprn_of_rank)
    if len(uprns) <= LIST_SIZE < entries:
        uprns = _addresses(best, uprn_of_rank)
    saturated = len(uprns) > LIST_SIZE or entries > BEST_KEPT
    return Completion(key, uprns[:LIST_SIZE], saturated)


def _addresses(ranks: list[int], uprn_of_rank: Mapping[int, int]) -> list[int]:
    """The distinct addresses of the ranks, in their order."""
    return list(dict.fromkeys(map(uprn_of_rank.__getitem__, ranks)))
