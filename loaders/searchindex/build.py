"""Building the address search index from the address model: every address's canonical words
(as ids into a vocabulary) and its folded parts, written with COPY. The pure work is
service.search.index, so addresses and queries are read by the same code.

A full load spreads that work over worker processes, one per core: each reads its share of
the addresses and turns them into index lines; this process gives their words ids in one
vocabulary and writes the lines."""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import os
import queue
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from multiprocessing.process import BaseProcess
from typing import Any

from loaders.core import swap
from loaders.core.orphans import die_with_parent
from loaders.core.sessions import ADDRESS_DATASET, connect_for_load
from loaders.errors import CliError
from loaders.searchindex.completions import rebuild_completions, write_completions
from service.db.types import Connection
from service.search.completion import shown_text
from service.search.index import IndexEntry, index_entry

_BATCH = 5000
_MAX_WORKERS = 4
_DONE = None  # a worker's last message; a str is its error
_ADDRESS_COLUMNS = """
    uprn, organisation_name, lpi_organisation, department_name, sub_building_name,
    building_name, building_number, dependent_thoroughfare, thoroughfare,
    double_dependent_locality, dependent_locality, post_town, sao_text, sao_start_number,
    sao_start_suffix, pao_text, pao_start_number, pao_start_suffix, pao_end_number,
    street_description, locality, town_name, postcode, postcode_key, logical_status,
    classification_code, custodian_code, x, y, source, address, natural_key
"""
# Words first: the rest of a line is written without knowing the words' ids.
SEARCH_COLUMNS = [
    "words",
    "uprn",
    "shown",
    "street",
    "places",
    "building",
    "sao_text",
    "pao_number",
    "pao_suffix",
    "pao_end",
    "sao_number",
    "sao_suffix",
    "postcode_key",
    "logical_status",
    "classification_code",
    "custodian_code",
    "x",
    "y",
    "natural_key",
]


class Vocabulary:
    """Word ids, and how many addresses hold each word."""

    def __init__(self, known: dict[str, int] | None = None) -> None:
        self.ids: dict[str, int] = dict(known or {})
        self.next_id = max(self.ids.values(), default=0) + 1
        self.frequency: Counter[str] = Counter()

    def ids_of(self, words: list[str]) -> list[int]:
        """Ids for the words, new words getting the next free ids."""
        known = self.ids
        for word in words:
            if word not in known:
                known[word] = self.next_id
                self.next_id += 1
        self.frequency.update(words)
        return [known[word] for word in words]


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str | None) -> str:
    """Text from the data in COPY's text format (NULL is \\N)."""
    return "\\N" if value is None else value.translate(_ESCAPES)


def _number(value: float | None) -> str:
    return "\\N" if value is None else str(value)


def entry_line(row: Any, entry: IndexEntry) -> str:
    """An address_search row after its words, in SEARCH_COLUMNS order, as COPY text. Text
    COPY of prepared lines is several times quicker than asyncpg's binary records here, and
    the folded parts (letters, digits, spaces, '/' and '-') need no escaping."""
    e = entry
    shown = shown_text(row["address"]) if row["address"] else None
    return (
        f"{row['uprn']}\t{_text(shown)}\t{e.street}\t{e.places}\t{e.building}\t"
        f"{e.sao_text}\t{_number(e.pao_number)}\t{e.pao_suffix}\t{_number(e.pao_end)}\t"
        f"{_number(e.sao_number)}\t{e.sao_suffix}\t{_text(row['postcode_key'])}\t"
        f"{_number(row['logical_status'])}\t{_text(row['classification_code'])}\t"
        f"{_number(row['custodian_code'])}\t{row['x']}\t{row['y']}\t{_text(row['natural_key'])}\n"
    )


def search_line(ids: list[int], rest: str) -> str:
    """A whole address_search line: the words' ids, then the rest of the row."""
    return "{" + ",".join(map(str, ids)) + "}\t" + rest


async def _address_batches(
    conn: Connection, source: str, where: str
) -> AsyncIterator[list[tuple[str, str]]]:
    """The addresses of ``source`` matching ``where`` as batches of (words joined by spaces,
    rest of line): two strings an address pass between processes cheaply. Runs in the
    caller's transaction (a cursor needs one)."""
    batch: list[tuple[str, str]] = []
    cursor = conn.cursor(f"SELECT {_ADDRESS_COLUMNS} FROM {source} WHERE {where}", prefetch=_BATCH)
    async for row in cursor:
        entry = index_entry(row)
        batch.append((" ".join(entry.words), entry_line(row, entry)))
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def index_addresses(
    conn: Connection, *, source: str, target: str, vocabulary: Vocabulary, where: str = "true"
) -> int:
    """Index the addresses of ``source`` matching ``where`` into ``target``; returns how many."""
    indexed = 0
    async with conn.transaction():
        async for batch in _address_batches(conn, source, where):
            indexed += await _write(conn, target, batch, vocabulary)
    return indexed


async def _write(
    conn: Connection, target: str, batch: list[tuple[str, str]], vocabulary: Vocabulary
) -> int:
    ids_of = vocabulary.ids_of
    lines = [search_line(ids_of(words.split()), rest) for words, rest in batch]
    data = "".join(lines).encode("utf-8")
    await conn.copy_to_table(target, source=io.BytesIO(data), columns=SEARCH_COLUMNS)
    return len(batch)


async def write_vocabulary(conn: Connection, vocabulary: Vocabulary, target: str) -> None:
    """The whole vocabulary, with frequencies, into an empty words table."""
    records = [(i, w, vocabulary.frequency[w]) for w, i in vocabulary.ids.items()]
    await conn.copy_records_to_table(target, records=records, columns=["id", "word", "frequency"])


async def load_vocabulary(conn: Connection) -> Vocabulary:
    """The live vocabulary, for a change-only update to extend."""
    rows = await conn.fetch("SELECT id, word FROM search_words")
    return Vocabulary({row["word"]: row["id"] for row in rows})


async def reindex_changed(conn: Connection) -> None:
    """Re-index the addresses in affected_uprns (inside the caller's transaction): their old
    words counted out, their new rows indexed, new words added to the vocabulary, and the
    typeahead completions rebuilt (their lists are ranked across all addresses)."""
    removed = await conn.fetch(
        "DELETE FROM address_search WHERE uprn IN (SELECT uprn FROM affected_uprns) RETURNING words"
    )
    vocabulary = await load_vocabulary(conn)
    known = set(vocabulary.ids)
    await index_addresses(
        conn,
        source="addresses",
        target="address_search",
        vocabulary=vocabulary,
        where="uprn IN (SELECT uprn FROM affected_uprns)",
    )
    change: Counter[int] = Counter({vocabulary.ids[w]: n for w, n in vocabulary.frequency.items()})
    change.subtract(word for row in removed for word in row["words"])
    await conn.execute(
        "UPDATE search_words w SET frequency = greatest(w.frequency + d.delta, 0) "
        "FROM unnest($1::int[], $2::int[]) AS d(id, delta) WHERE w.id = d.id",
        list(change.keys()),
        list(change.values()),
    )
    new_words = {w: i for w, i in vocabulary.ids.items() if w not in known}
    fresh = Vocabulary(new_words)
    fresh.frequency = vocabulary.frequency
    await write_vocabulary(conn, fresh, "search_words")
    await rebuild_completions(conn)


SEARCH_TABLES = ("address_search", "search_words", "search_completions")


async def build_next_index(
    conn: Connection, database_url: str | None = None, workers: int | None = None
) -> int:
    """address_search_next, search_words_next and search_completions_next from addresses_next
    (a full load): with the
    database's URL, on worker processes (by default one per core, at most four); without,
    on this process alone."""
    for table in SEARCH_TABLES:
        await swap.create_next(conn, table)
    vocabulary = Vocabulary()
    workers = workers or min(os.cpu_count() or 1, _MAX_WORKERS)
    if database_url is None or workers < 2:
        indexed = await index_addresses(
            conn, source="addresses_next", target="address_search_next", vocabulary=vocabulary
        )
    else:
        indexed = await _index_on_workers(conn, database_url, workers, vocabulary)
    await write_vocabulary(conn, vocabulary, "search_words_next")
    await write_completions(conn, source="addresses_next", target="search_completions_next")
    return indexed


async def _index_on_workers(
    conn: Connection, database_url: str, workers: int, vocabulary: Vocabulary
) -> int:
    """Worker k sends the lines of the addresses with uprn % workers = k; this process gives
    their words ids as the batches arrive and writes them."""
    context = multiprocessing.get_context("spawn")  # no copies of this process's connections
    batches: multiprocessing.Queue[Any] = context.Queue(maxsize=4 * workers)
    processes = [
        context.Process(
            target=_index_worker,
            args=(database_url, f"uprn % {workers} = {k}", batches, os.getpid()),
            name=f"search-index-{k}",
            daemon=True,
        )
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    indexed, running = 0, workers
    try:
        while running:
            item = await asyncio.to_thread(_next_message, batches, processes)
            if item is _DONE:
                running -= 1
            elif isinstance(item, str):
                raise CliError(f"building the search index failed: {item}")
            else:
                indexed += await _write(conn, "address_search_next", item, vocabulary)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    return indexed


def _next_message(batches: multiprocessing.Queue[Any], processes: Sequence[BaseProcess]) -> Any:
    """The next message from the workers; an error if one died without saying why."""
    while True:
        try:
            return batches.get(timeout=1.0)
        except queue.Empty:
            dead = [p for p in processes if p.exitcode not in (None, 0)]
            if dead:
                return f"{dead[0].name} stopped with exit code {dead[0].exitcode}"


def _index_worker(
    database_url: str, where: str, batches: multiprocessing.Queue[Any], parent: int
) -> None:
    """A worker process: send the index lines of the addresses matching ``where``, then
    _DONE, or the error that stopped it. It dies with its parent (see die_with_parent)."""
    die_with_parent(parent)
    try:
        asyncio.run(_send_batches(database_url, where, batches))
    except Exception as error:
        batches.put(f"{type(error).__name__}: {error}")
    else:
        batches.put(_DONE)


async def _send_batches(database_url: str, where: str, batches: multiprocessing.Queue[Any]) -> None:
    conn = await connect_for_load(database_url, ADDRESS_DATASET, "index-worker")
    try:
        async with conn.transaction():
            async for batch in _address_batches(conn, "addresses_next", where):
                batches.put(batch)
    finally:
        await conn.close()
