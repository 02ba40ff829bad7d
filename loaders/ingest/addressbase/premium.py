"""A full AddressBase Premium supply: typed raw tables, the address model and postcodes are
built as ``*_next`` copies, indexed, and swapped in together in one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from loaders.core import swap
from loaders.core.context import (
    REJECTS_TABLE,
    LoadContext,
    check_reject_rate,
    collect_sql_rejects,
)
from loaders.ingest.addressbase.columns import RAW_TABLES
from loaders.ingest.addressbase.premium_rows import record_label
from loaders.ingest.addressbase.validation import insert_checked, premium_insert
from loaders.ingest.model import publish_model
from service.db.types import Connection
from service.sqlfiles import sql

STAGE_TABLE = "abp_stage"
# Parents first: child records are checked against the BLPUs already typed.
RECORD_ORDER = (11, 15, 21, 23, 24, 28, 30, 31, 32)
LABELS = {record_id: record_label(record_id) for record_id in RECORD_ORDER}


def model_sql(*, raw_suffix: str, target: str, uprn_filter: str) -> str:
    """The address-model build, reading raw tables with the given suffix."""
    tables = {
        name: f"{table}{raw_suffix}"
        for name, table in (
            ("blpu", "abp_blpu"),
            ("lpi", "abp_lpi"),
            ("dpa", "abp_delivery_point"),
            ("classification", "abp_classification"),
            ("organisation", "abp_organisation"),
            ("street_descriptor", "abp_street_descriptor"),
        )
    }
    return sql(__package__, "build_addresses").format(
        target=target, uprn_filter=uprn_filter, **tables
    )


# Parents first: the rest are checked against the BLPUs typed before them. Largest first, so
# two sessions sharing the rest finish together.
PARENTS = (11, 15, 21)
CHILDREN = (24, 32, 28, 31, 23, 30)


async def type_raw_records(ctx: LoadContext, *, full_supply: bool, suffix: str) -> None:
    """Staged rows into typed raw tables (``<table><suffix>``), refusing bad rows. A full
    supply's child records are typed on two sessions at once (two cores)."""

    async def type_one(conn: Connection, record_id: int) -> None:
        spec = premium_insert(
            record_id,
            stage=f"{STAGE_TABLE}_{record_id}",
            target=f"{RAW_TABLES[record_id]}{suffix}",
            rejects=REJECTS_TABLE,
            full_supply=full_supply,
            blpu_table="abp_blpu_known" if not full_supply else f"abp_blpu{suffix}",
        )
        ctx.report.counts[LABELS[record_id]].loaded += await insert_checked(conn, spec)

    for record_id in PARENTS:
        await type_one(ctx.conn, record_id)
    if full_supply:
        await _type_on_two_sessions(ctx, list(CHILDREN), type_one)
    else:
        for record_id in CHILDREN:
            await type_one(ctx.conn, record_id)
    await collect_sql_rejects(ctx, LABELS)


async def _type_on_two_sessions(
    ctx: LoadContext, queue: list[int], type_one: Callable[[Connection, int], Awaitable[None]]
) -> None:
    """Both sessions (one when the load has only one) take record types from the queue
    until it is empty."""
    async with ctx.side_session() as side:

        async def drain(conn: Connection) -> None:
            while queue:
                await type_one(conn, queue.pop(0))

        await asyncio.gather(drain(ctx.conn), *([drain(side)] if side else []))
        if side:
            await collect_sql_rejects(ctx, LABELS, side)


async def load_full_premium(ctx: LoadContext) -> None:
    """Raw tables, model, postcodes and search index as fresh copies, checked, indexed and
    swapped in together."""
    raw_tables = tuple(RAW_TABLES.values())
    try:
        for table in raw_tables:
            await swap.create_next(ctx.conn, table)
        await type_raw_records(ctx, full_supply=True, suffix=swap.NEXT)
        ctx.stage("checked and typed every record")
        check_reject_rate(ctx)
    except BaseException:
        await swap.drop_next(ctx.conn, list(raw_tables))
        raise
    await publish_model(ctx, lambda target: _build_addresses(ctx, target), also=raw_tables)


async def _build_addresses(ctx: LoadContext, target: str) -> int:
    """The address model from the raw *_next tables, each half of the UPRNs on its own
    session when there are two; reports BLPUs that give no address."""

    async def build(conn: Connection, uprn_filter: str) -> int:
        sql = model_sql(raw_suffix=swap.NEXT, target=target, uprn_filter=uprn_filter)
        return int((await conn.execute(sql, ctx.version_id)).split()[-1])

    async with ctx.side_session() as side:
        if side is None:
            built = await build(ctx.conn, "true")
        else:
            halves = await asyncio.gather(
                build(ctx.conn, "uprn % 2 = 0"), build(side, "uprn % 2 = 1")
            )
            built = sum(halves)
    blpus = await ctx.conn.fetchval("SELECT count(*) FROM abp_blpu_next")
    if blpus > built:
        ctx.warnings.append(
            f"{blpus - built:,} BLPUs have neither an LPI nor a delivery point and are not served"
        )
    return built
