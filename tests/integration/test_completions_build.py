"""The typeahead completions are built in bounded memory, a bucket of forms at a time, and
store exactly what the old builder stored with every form in memory: the same keys, the same
samples, the same addresses in the same order, whatever the size of a bucket."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from loaders.searchindex.completion_lists import BEST_KEPT
from loaders.searchindex.completions import write_completions
from tests.support.abp import address_records, street_records, write_premium
from tests.support.completions import Form, Stored, forms_of, reference_completions, stored
from tests.support.loading import generated_database, load
from tests.support.pg import ThrowawayDatabases

ADDRESSES = "SELECT uprn, address, logical_status FROM addresses"
STORED = "SELECT key, saturated, uprns FROM {table}"


@pytest.fixture(scope="module")
def loaded_url(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """10,000 generated addresses loaded as an operator would."""
    folder = tmp_path_factory.mktemp("completions") / "gen"
    with generated_database(databases, folder, addresses=10_000, seed=7) as url:
        yield url


async def _forms(conn: asyncpg.Connection) -> list[Form]:
    rows = await conn.fetch(ADDRESSES)
    return forms_of((r["uprn"], r["address"] or "", r["logical_status"]) for r in rows)


async def _stored(conn: asyncpg.Connection, table: str) -> Stored:
    rows = await conn.fetch(STORED.format(table=table))
    return {r["key"]: (r["saturated"], list(r["uprns"])) for r in rows}


async def test_a_load_stores_what_every_form_in_memory_made(loaded_url: str) -> None:
    conn = await asyncpg.connect(loaded_url)
    try:
        reference = stored(reference_completions(await _forms(conn)))
        assert await _stored(conn, "search_completions") == reference
    finally:
        await conn.close()
    assert sum(saturated for saturated, _ in reference.values()) > 50


@pytest.mark.parametrize("bucket_entries", [BEST_KEPT, 1500])
async def test_small_buckets_store_the_same(loaded_url: str, bucket_entries: int) -> None:
    conn = await asyncpg.connect(loaded_url)
    try:
        forms = await _forms(conn)
        await conn.execute("CREATE TEMP TABLE built (LIKE search_completions)")
        count = await write_completions(
            conn, source="addresses", target="built", bucket_entries=bucket_entries
        )
        built = await _stored(conn, "built")
    finally:
        await conn.close()
    assert built == stored(reference_completions(forms)) and count == len(built)
    # keys of three characters and more have more forms than a bucket: buckets split in buckets
    prefixes = Counter(form[:n] for form, _, _ in forms for n in range(1, 4))
    assert any(len(key) == 3 and n > bucket_entries for key, n in prefixes.items())


async def test_a_change_only_update_rebuilds_them_exactly(
    database_url: str, tmp_path: Path
) -> None:
    rows = street_records(100, "HIGH STREET")
    for uprn in range(1, 1201):
        rows += address_records(uprn, number=uprn % 40 + 1, sub_building_name=f"FLAT {uprn}")
    code, _, err = load(database_url, tmp_path, write_premium(tmp_path / "full.csv", rows))
    assert code == 0, err
    changes = address_records(5000, number=7, change_type="I")
    cou = write_premium(tmp_path / "cou.csv", changes, file_type="C")
    code, _, err = load(database_url, tmp_path, cou)
    assert code == 0, err
    conn = await asyncpg.connect(database_url)
    try:
        reference = stored(reference_completions(await _forms(conn)))
        assert await _stored(conn, "search_completions") == reference
    finally:
        await conn.close()
    assert reference["7"][1][0] == 5000  # the new house, before the flats of number 7
