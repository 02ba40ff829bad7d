"""Search finds its candidates through indexes and never scans a table: every query it sends
is planned with sequential scans priced out, and none of the plans may still hold one on the
address or vocabulary tables (which would mean no index can answer that query)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import asyncpg
import orjson
import pytest

from service.db.connections import OneConnection
from service.db.pool import init_connection
from service.search.candidates import Filters
from service.search.engine import complete_addresses, search_addresses
from tests.support.loading import generated_database
from tests.support.pg import ThrowawayDatabases

SEARCHED_TABLES = {
    "addresses",
    "address_search",
    "search_words",
    "postcodes",
    "search_completions",
}
QUERIES = [
    "1 high street",
    "flat 2, 12 hgh stret",
    "12a mill lane fx1 1aa",
    "fx1",
    "the old rectory",
    "2/14 church rd",
    "st marys close",
    "hig",
]


@pytest.fixture(scope="module")
def loaded(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("plans") / "supply"
    with generated_database(databases, folder, addresses=3000, seed=3) as url:
        yield url


class ExplainingConnection:
    """Plans each query before running it (search only ever calls fetch)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.plans: list[tuple[str, Any]] = []

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        plan = await self.conn.fetchval(f"EXPLAIN (FORMAT JSON) {query}", *args)
        self.plans.append((query, orjson.loads(plan) if isinstance(plan, str) else plan))
        return await self.conn.fetch(query, *args)


def scanned_tables(node: dict[str, Any]) -> list[str]:
    found = [node["Relation Name"]] if node.get("Node Type") == "Seq Scan" else []
    for child in node.get("Plans", []):
        found += scanned_tables(child)
    return found


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(postcode_key="FX11AA"),
        Filters(classification="RD", status=1),
        Filters(bbox=(400000.0, 100000.0, 460000.0, 160000.0)),
    ],
    ids=["plain", "postcode", "classification", "bbox"],
)
async def test_no_search_query_scans_a_table(loaded: str, filters: Filters) -> None:
    conn = await asyncpg.connect(loaded)
    try:
        await init_connection(conn)
        await conn.execute("SET enable_seqscan = off")
        explaining = ExplainingConnection(conn)
        found = 0
        db = OneConnection(explaining)  # type: ignore[arg-type]
        for text in QUERIES:
            found += len(await search_addresses(db, text, filters=filters))
            found += len(await complete_addresses(db, text))
    finally:
        await conn.close()
    assert explaining.plans, "search sent no queries"
    assert filters != Filters() or found > 0, "the plain queries found addresses"
    scans = [
        (table, query.strip()[:120])
        for query, plan in explaining.plans
        for table in scanned_tables(plan[0]["Plan"])
        if table in SEARCHED_TABLES
    ]
    assert not scans, scans
