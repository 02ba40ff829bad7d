"""Publishing a fully built address model: postcodes and the search index derived from
``addresses_next``, every table indexed like its live twin, and all swapped in together."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from loaders.core import swap
from loaders.core.context import LoadContext
from loaders.core.guards import check_replacement
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
        await check_address_count(ctx, built)
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
        tries = await swap.swap_in(ctx.conn, tables, wait_s=ctx.options.swap_wait_s)
        ctx.stage(f"swapped the new data in ({tries} {'try' if tries == 1 else 'tries'})")
    except BaseException:
        await swap.drop_next(ctx.conn, tables)
        raise
    return built


async def count_addresses(conn: Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM addresses"))


@contextlib.asynccontextmanager
async def guarded_change(ctx: LoadContext) -> AsyncIterator[None]:
    """A transaction for a change-only update that is rolled back, the live data unchanged,
    if the changes would shrink the addresses by more than --max-shrink (unless --force)."""
    before = await count_addresses(ctx.conn)
    async with ctx.conn.transaction():
        yield
        check_replacement("addresses", before, await count_addresses(ctx.conn), ctx.options.limits)


async def check_address_count(ctx: LoadContext, after: int) -> None:
    """Refuse, before anything live changes, a supply with no addresses or one that would
    shrink the live addresses by more than --max-shrink (unless --force)."""
    before = await count_addresses(ctx.conn)
    if after == 0 and before == 0 and not ctx.options.limits.force:
        raise CliError("the supply holds no addresses; the live data is unchanged")
    check_replacement("addresses", before, after, ctx.options.limits)
