"""Building the typeahead completions (table search_completions) from the address model: the
forms of every address's displayed text, then the bounded list of each stored key. The pure
work, and why it bounds a keystroke's cost, is service.search.completion."""

from __future__ import annotations

from collections.abc import Iterator

from service.db.types import Connection
from service.search.completion import (
    Completion,
    Form,
    address_forms,
    build_completions,
    static_weight,
)

_BATCH = 20_000
_COLUMNS = ["key", "saturated", "uprns"]


async def address_form_list(conn: Connection, source: str) -> list[Form]:
    """Every (form, static weight, uprn) of the addresses in ``source``. Runs in the caller's
    transaction (a cursor needs one)."""
    forms: list[Form] = []
    query = f"SELECT uprn, address, logical_status FROM {source}"
    async for row in conn.cursor(query, prefetch=_BATCH):
        address = row["address"] or ""
        weight = static_weight(address, row["logical_status"])
        forms.extend((form, weight, row["uprn"]) for form in address_forms(address))
    return forms


def _batches(completions: Iterator[Completion]) -> Iterator[list[tuple[str, bool, list[int]]]]:
    batch: list[tuple[str, bool, list[int]]] = []
    for completion in completions:
        batch.append((completion.key, completion.saturated, completion.uprns))
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def write_completions(conn: Connection, *, source: str, target: str) -> int:
    """The completions of the addresses in ``source`` into the empty table ``target``;
    returns how many keys were stored."""
    async with conn.transaction():
        forms = await address_form_list(conn, source)
    stored = 0
    for batch in _batches(build_completions(forms)):
        await conn.copy_records_to_table(target, records=batch, columns=_COLUMNS)
        stored += len(batch)
    return stored


async def rebuild_completions(conn: Connection) -> int:
    """Rebuild the live completions from the live addresses, inside the caller's transaction
    (a change-only update): readers see the old lists until it commits."""
    await conn.execute("DELETE FROM search_completions")
    return await write_completions(conn, source="addresses", target="search_completions")
