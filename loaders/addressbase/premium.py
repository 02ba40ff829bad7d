"""A full AddressBase Premium supply: typed raw tables, the address model and postcodes are
built as ``*_next`` copies, indexed, and swapped in together in one transaction."""

from __future__ import annotations

from loaders import swap
from loaders.addressbase.columns import RAW_TABLES
from loaders.addressbase.context import (
    REJECTS_TABLE,
    LoadContext,
    collect_sql_rejects,
    read_sql,
)
from loaders.addressbase.premium_rows import record_label
from loaders.addressbase.validation import premium_insert, typed_insert_sql
from loaders.errors import CliError

STAGE_TABLE = "abp_stage"
# Parents first: child records are checked against the BLPUs already typed.
RECORD_ORDER = (11, 15, 21, 23, 24, 28, 30, 31, 32)
MODEL_TABLES = ("addresses", "postcodes")
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
    return read_sql("build_addresses.sql").format(target=target, uprn_filter=uprn_filter, **tables)


async def type_raw_records(ctx: LoadContext, *, full_supply: bool, suffix: str) -> None:
    """Staged rows into typed raw tables (``<table><suffix>``), refusing bad rows."""
    for record_id in RECORD_ORDER:
        spec = premium_insert(
            record_id,
            stage=f"{STAGE_TABLE}_{record_id}",
            target=f"{RAW_TABLES[record_id]}{suffix}",
            rejects=REJECTS_TABLE,
            full_supply=full_supply,
            blpu_table="abp_blpu_known" if not full_supply else f"abp_blpu{suffix}",
        )
        status = await ctx.conn.execute(typed_insert_sql(spec))
        ctx.report.counts[LABELS[record_id]].loaded += int(status.split()[-1])
    await collect_sql_rejects(ctx, LABELS)


def check_reject_rate(ctx: LoadContext) -> None:
    """Stop before the swap when too much of the input was refused."""
    rate = ctx.report.reject_rate()
    if rate > ctx.options.max_reject_rate:
        raise CliError(
            f"{ctx.report.rejected:,} of {ctx.report.read:,} rows ({rate:.2%}) were rejected, "
            f"more than --max-reject-rate {ctx.options.max_reject_rate:.2%}; the live data is "
            f"unchanged. See {ctx.report.rejects_path} for each row and its reason."
        )


async def build_postcodes(ctx: LoadContext, *, source: str, target: str) -> None:
    await ctx.conn.execute(read_sql("build_postcodes.sql").format(source=source, target=target))


async def load_full_premium(ctx: LoadContext) -> None:
    """Raw tables, model and postcodes as fresh copies, checked, indexed and swapped in."""
    tables = [*RAW_TABLES.values(), *MODEL_TABLES]
    try:
        for table in RAW_TABLES.values():
            await swap.create_next(ctx.conn, table)
        await type_raw_records(ctx, full_supply=True, suffix=swap.NEXT)
        ctx.stage("checked and typed every record")
        check_reject_rate(ctx)
        await build_model(ctx)
        for table in tables:
            await swap.index_next(ctx.conn, table)
        ctx.stage("indexed")
        await swap.swap_in(ctx.conn, tables)
        ctx.stage("swapped the new data in")
    except BaseException:
        await swap.drop_next(ctx.conn, tables)
        raise


async def build_model(ctx: LoadContext) -> None:
    """addresses_next and postcodes_next from the raw *_next tables."""
    await swap.create_next(ctx.conn, "addresses")
    sql = model_sql(raw_suffix=swap.NEXT, target="addresses_next", uprn_filter="true")
    built = int((await ctx.conn.execute(sql, ctx.version_id)).split()[-1])
    blpus = await ctx.conn.fetchval("SELECT count(*) FROM abp_blpu_next")
    if blpus > built:
        ctx.warnings.append(
            f"{blpus - built:,} BLPUs have neither an LPI nor a delivery point and are not served"
        )
    if built == 0:
        raise CliError("the supply holds no addresses; the live data is unchanged")
    await swap.create_next(ctx.conn, "postcodes")
    await build_postcodes(ctx, source="addresses_next", target="postcodes_next")
    ctx.stage(f"built {built:,} addresses")
