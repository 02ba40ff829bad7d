"""Building the typeahead completions (table search_completions) from the address model in
bounded memory: this process holds a batch of addresses, then a bucket of forms, never all of
them (service.search.completion says what is stored and why a keystroke's cost is bounded;
loaders.searchindex.completion_lists builds the lists a bucket at a time).

1. Every address's forms and static weight are made here, a batch at a time, and copied into
   a temporary table (one row an address, its forms joined by commas).
2. The database ranks the addresses by static weight, spreads their forms and sorts them by
   form in C (byte) order, which is Python's order of the same text. It sorts beyond its
   work_mem on disk (about 0.4 GB of temporary files and table a million addresses), so the
   number of addresses costs it time and disk, not memory.
3. The sorted forms are read through a cursor and fed to the builder in batches; the keys it
   completes are written with COPY as they come.

The old builder held every form in this process to sort them: 1.6 GB resident at a million
addresses, 7.1 GiB at five million.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from loaders.searchindex.completion_lists import BUCKET_ENTRIES, Completion, CompletionBuilder
from service.db.types import Connection
from service.search.completion import address_forms, static_weight

_BATCH = 20_000  # addresses read, and forms fed to the builder, at a time
_WRITE_BATCH = 5_000  # keys a COPY writes (a sample's list is 200 UPRNs)
_COLUMNS = ["key", "saturated", "uprns"]
_STAGED = "completion_forms"
# An address's static weight as its three parts, and its forms joined by commas (folded text
# is lower-case letters, digits, spaces, '/' and '-': it needs no escaping in COPY's text).
_CREATE_STAGED = f"""
CREATE TEMP TABLE {_STAGED} (uprn bigint, not_live int, flat int, length int, forms text)
"""
_ADDRESSES = "SELECT uprn, address, logical_status FROM {source}"
# Every form with its address's rank in static weight order (an int: the builder compares ranks).
_ENTRIES = f"""
SELECT form, rank, uprn
FROM (SELECT uprn, forms, row_number() OVER (ORDER BY not_live, flat, length, uprn) AS rank
      FROM {_STAGED}) AS a,
     unnest(string_to_array(a.forms, ',')) AS form
ORDER BY form COLLATE "C"
"""


async def write_completions(
    conn: Connection, *, source: str, target: str, bucket_entries: int = BUCKET_ENTRIES
) -> int:
    """The completions of the addresses in ``source`` into the empty table ``target``, built
    ``bucket_entries`` forms at most at a time; returns how many keys were stored. Runs in one
    transaction (the caller's, if it has one)."""
    builder = CompletionBuilder(bucket_entries=bucket_entries)
    async with conn.transaction():
        await conn.execute(_CREATE_STAGED)
        await _stage_forms(conn, source)
        stored = await _write_keys(conn, target, builder)
        await conn.execute(f"DROP TABLE {_STAGED}")
    return stored


async def rebuild_completions(conn: Connection) -> int:
    """Rebuild the live completions from the live addresses, inside the caller's transaction
    (a change-only update): readers see the old lists until it commits."""
    await conn.execute("DELETE FROM search_completions")
    return await write_completions(conn, source="addresses", target="search_completions")


async def _stage_forms(conn: Connection, source: str) -> None:
    """Every address's (uprn, static weight, forms) into the staging table, a batch at a time."""
    async for rows in _batches_of(conn, "completion_addresses", _ADDRESSES.format(source=source)):
        lines = "".join(_staged_line(uprn, address or "", status) for uprn, address, status in rows)
        await conn.copy_to_table(_STAGED, source=io.BytesIO(lines.encode()))


def _staged_line(uprn: int, address: str, logical_status: int | None) -> str:
    weight = "\t".join(map(str, static_weight(address, logical_status)))
    return f"{uprn}\t{weight}\t{','.join(address_forms(address))}\n"


async def _write_keys(conn: Connection, target: str, builder: CompletionBuilder) -> int:
    """Feed the sorted forms to the builder and write the keys it completes as they come."""
    stored = 0
    async for rows in _batches_of(conn, "completion_entries", _ENTRIES):
        stored += await _write(conn, target, builder.add([tuple(row) for row in rows]))
    return stored + await _write(conn, target, builder.finish())


async def _batches_of(conn: Connection, cursor: str, query: str) -> AsyncIterator[list[Any]]:
    """The rows of a query, _BATCH at a time, through a cursor closed once read (so the tables
    it reads can be dropped in the same transaction, which an asyncpg cursor would not allow).
    One name a query: asyncpg keeps the row type of a FETCH by its text."""
    await conn.execute(f"DECLARE {cursor} NO SCROLL CURSOR FOR {query}")
    while rows := await conn.fetch(f"FETCH {_BATCH} FROM {cursor}"):
        yield rows
    await conn.execute(f"CLOSE {cursor}")


async def _write(conn: Connection, target: str, completions: Iterable[Completion]) -> int:
    written = 0
    for batch in _batches(completions):
        await conn.copy_records_to_table(target, records=batch, columns=_COLUMNS)
        written += len(batch)
    return written


def _batches(completions: Iterable[Completion]) -> Iterator[list[tuple[str, bool, list[int]]]]:
    batch: list[tuple[str, bool, list[int]]] = []
    for completion in completions:
        batch.append((completion.key, completion.saturated, completion.uprns))
        if len(batch) >= _WRITE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
