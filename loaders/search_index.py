"""Building the address search index from the address model: every address's canonical words
(as ids into a vocabulary) and its folded parts, written with COPY. The pure work is
service.search.index, so addresses and queries are read by the same code."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from loaders import swap
from service.dbtypes import Connection
from service.search.index import IndexEntry, index_entry

_BATCH = 5000
_ADDRESS_COLUMNS = """
    uprn, organisation_name, lpi_organisation, department_name, sub_building_name,
    building_name, building_number, dependent_thoroughfare, thoroughfare,
    double_dependent_locality, dependent_locality, post_town, sao_text, sao_start_number,
    sao_start_suffix, pao_text, pao_start_number, pao_start_suffix, pao_end_number,
    street_description, locality, town_name, postcode, postcode_key, logical_status,
    classification_code, custodian_code, x, y, source, address
"""
SEARCH_COLUMNS = [
    "uprn", "words", "text", "street", "places", "building", "sao_text", "pao_number",
    "pao_suffix", "pao_end", "sao_number", "sao_suffix", "postcode_key", "logical_status",
    "classification_code", "custodian_code", "x", "y",
]  # fmt: skip


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


def search_line(row: Any, entry: IndexEntry, vocabulary: Vocabulary) -> str:
    """One address_search row, in SEARCH_COLUMNS order, as a line of COPY text. Text COPY of
    prepared lines is several times quicker than asyncpg's binary records here, and the
    folded parts (letters, digits, spaces, '/' and '-') need no escaping."""
    ids = ",".join(map(str, vocabulary.ids_of(entry.words)))
    e = entry
    return (
        f"{row['uprn']}\t{{{ids}}}\t{e.text}\t{e.street}\t{e.places}\t{e.building}\t"
        f"{e.sao_text}\t{_number(e.pao_number)}\t{e.pao_suffix}\t{_number(e.pao_end)}\t"
        f"{_number(e.sao_number)}\t{e.sao_suffix}\t{_text(row['postcode_key'])}\t"
        f"{_number(row['logical_status'])}\t{_text(row['classification_code'])}\t"
        f"{_number(row['custodian_code'])}\t{row['x']}\t{row['y']}\n"
    )


async def index_addresses(
    conn: Connection, *, source: str, target: str, vocabulary: Vocabulary, where: str = "true"
) -> int:
    """Index the addresses of ``source`` matching ``where`` into ``target``; returns how many."""
    indexed = 0
    async with conn.transaction():
        cursor = conn.cursor(
            f"SELECT {_ADDRESS_COLUMNS} FROM {source} WHERE {where}", prefetch=_BATCH
        )
        batch: list[str] = []
        async for row in cursor:
            batch.append(search_line(row, index_entry(row), vocabulary))
            if len(batch) >= _BATCH:
                indexed += await _write(conn, target, batch)
                batch = []
        indexed += await _write(conn, target, batch)
    return indexed


async def _write(conn: Connection, target: str, batch: list[str]) -> int:
    if batch:
        data = "".join(batch).encode("utf-8")
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
    words counted out, their new rows indexed, new words added to the vocabulary."""
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


SEARCH_TABLES = ("address_search", "search_words")


async def build_next_index(conn: Connection) -> int:
    """address_search_next and search_words_next from addresses_next (a full load)."""
    for table in SEARCH_TABLES:
        await swap.create_next(conn, table)
    vocabulary = Vocabulary()
    indexed = await index_addresses(
        conn, source="addresses_next", target="address_search_next", vocabulary=vocabulary
    )
    await write_vocabulary(conn, vocabulary, "search_words_next")
    return indexed
