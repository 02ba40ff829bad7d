"""The search index of a full load, built on worker processes, is the one a single process
builds: the same words for every address, the same word frequencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import pytest

from loaders.errors import CliError
from loaders.searchindex.build import build_next_index
from tests.support.abp import address_records, street_records, write_premium
from tests.support.loading import load

_INDEXED = """
    SELECT s.uprn, s.shown, s.street, s.places, s.building, s.pao_number, s.sao_number,
           (SELECT array_agg(w.word ORDER BY o) FROM unnest(s.words) WITH ORDINALITY u(id, o)
            JOIN {words} w ON w.id = u.id) AS words
    FROM {search} s ORDER BY s.uprn
"""


async def _index(conn: asyncpg.Connection, suffix: str) -> tuple[list[Any], list[Any]]:
    query = _INDEXED.format(search=f"address_search{suffix}", words=f"search_words{suffix}")
    rows = await conn.fetch(query)
    words = await conn.fetch(f"SELECT word, frequency FROM search_words{suffix} ORDER BY word")
    return [tuple(r) for r in rows], [tuple(r) for r in words]


def _supply(tmp_path: Path) -> Path:
    rows = street_records(100, "HIGH STREET", "TESTTOWN") + street_records(
        200, "MILL LANE", "OTHERTOWN"
    )
    for uprn in range(1, 41):
        rows += address_records(uprn, number=uprn, street_usrn=100 if uprn % 3 else 200)
    return write_premium(tmp_path / "supply.csv", rows)


async def test_workers_build_the_index_one_process_builds(
    database_url: str, tmp_path: Path
) -> None:
    code, _, err = load(database_url, tmp_path, _supply(tmp_path))
    assert code == 0, err
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("CREATE TABLE addresses_next AS SELECT * FROM addresses")
        assert await build_next_index(conn, database_url, workers=3) == 40
        on_workers = await _index(conn, "_next")
        assert await build_next_index(conn) == 40
        alone = await _index(conn, "_next")
    finally:
        await conn.close()
    assert on_workers == alone
    assert len(alone[0]) == 40
    assert ("mill", 13) in alone[1], "13 of the 40 addresses are on Mill Lane"


async def test_a_worker_that_fails_fails_the_build_with_its_reason(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:  # no addresses_next: each worker's query fails
        with pytest.raises(CliError, match=r'search index failed: .*"addresses_next" does not'):
            await build_next_index(conn, database_url, workers=2)
    finally:
        await conn.close()
