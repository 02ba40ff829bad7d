"""Publishing a fully built address model: postcodes and the search index derived from
``addresses_next``, every table indexed like its live twin, and all swapped in together."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from loaders.core import swap
from loaders.core.context import LoadContext
from loaders.errors import CliError
from loaders.searchindex.build import SEARCH_TABLES, build_next_index
from service.db.types import Connection
from service.sqlfiles import sql

MODEL_TABLES = ("addresses", "postcodes", *SEARCH_TABLES)
AddressBuilder = Callable[[str], Awaitable[int]]  # fills the named table; returns how many


async def build_postcodes(conn: Connection, *, source: str, target: str) -> None:
    """Postcode centres and counts from an addresses table (or a subquery of one)."""
    await conn.execute(sql(__package__, "build_postcodes").format(source=source, target=target))


async def _index_tables(conn: Connection, tables: list[str]) -> None:
    for table in tables:
        await swap.index_next(conn, table)


async def index_alongside(
    ctx: LoadContext, tables: list[str], work: Callable[[], Awaitable[object]]
) -> None:
    """Index the tables' copies on a second session while ``work`` runs on the first: the
    database builds indexes on one core while the search index is built on the other."""
    async with ctx.side_session() as side:
        if side is None:
            await work()
            await _index_tables(ctx.conn, tables)
            return
        indexing = asyncio.create_task(_index_tables(side, tables))
        try:
            await work()
        except BaseException:
            indexing.cancel()
            with contextlib.suppress(BaseException):
                await indexing
            raise
        await indexing


async def publish_model(
    ctx: LoadContext, build_addresses: AddressBuilder, *, also: tuple[str, ...] = ()
) -> int:
    """Build addresses_next, derive the rest, index and swap in with ``also`` (tables whose
    ``_next`` copies the caller filled). All or nothing: on failure every copy is dropped and
    the live tables are untouched. Returns how many addresses were built."""
    tables = [*also, *MODEL_TABLES]
    try:
        await swap.create_next(ctx.conn, "addresses")
        built = await build_addresses("addresses_next")
        if built == 0:
            raise CliError("the supply holds no addresses; the live data is unchanged")
        ctx.stage(f"built {built:,} addresses")
        await swap.create_next(ctx.conn, "postcodes")
        await build_postcodes(ctx.conn, source="addresses_next", target="postcodes_next")
        built_tables = [*also, "addresses", "postcodes"]
        await index_alongside(
            ctx, built_tables, lambda: build_next_index(ctx.conn, ctx.database_url)
        )
        for table in SEARCH_TABLES:
            await swap.index_next(ctx.conn, table)
        ctx.stage("built postcodes and the search index, and indexed every table")
        await swap.swap_in(ctx.conn, tables)
        ctx.stage("swapped the new data in")
    except BaseException:
        await swap.drop_next(ctx.conn, tables)
        raise
    return built
