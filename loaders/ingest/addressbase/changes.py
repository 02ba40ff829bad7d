"""A change-only AddressBase Premium update: inserts, updates and deletes applied in PRO_ORDER to
the raw tables, and the addresses they touch rebuilt, all in one transaction, so the service
answers from the old data until the instant the new is committed.

Each change is checked against the live data first: an insert of a key that exists, or an
update or delete of one that does not, is refused with its line (applying one update twice is
caught this way rather than silently corrupting the data)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loaders.core.context import LoadContext, check_reject_rate
from loaders.errors import CliError
from loaders.ingest.addressbase.columns import RAW_TABLES, stored_columns
from loaders.ingest.addressbase.layout import PREMIUM_KEYS
from loaders.ingest.addressbase.premium import (
    LABELS,
    RECORD_ORDER,
    STAGE_TABLE,
    model_sql,
    type_raw_records,
)
from loaders.ingest.model import build_postcodes, guarded_change
from loaders.searchindex.build import reindex_changed

CHANGES = "_changes"
_ADDRESS_RECORDS = (21, 23, 24, 28, 30, 31, 32)
_NAMES = {"I": "insert", "U": "update", "D": "delete"}


def key_columns(record_id: int) -> list[str]:
    key = [PREMIUM_KEYS[record_id].lower()]
    return [*key, "language"] if record_id == 15 else key


@dataclass(frozen=True)
class Change:
    key: tuple[object, ...]
    change_type: str
    file_no: int
    line_no: int
    in_live_data: bool


def out_of_sequence(changes: Sequence[Change]) -> list[tuple[Change, str]]:
    """Changes that cannot apply, given one key's changes in PRO_ORDER and whether the key
    is in the live data: insert needs it absent, update and delete need it present."""
    refused = []
    exists = changes[0].in_live_data if changes else False
    for change in changes:
        wanted = change.change_type == "I"
        if exists == wanted:
            state = "already in" if exists else "not in"
            refused.append((change, f"{_NAMES[change.change_type]} of a record {state} the data"))
            continue
        exists = change.change_type != "D"
    return refused


async def _create_change_tables(ctx: LoadContext) -> None:
    for record_id in RECORD_ORDER:
        table = RAW_TABLES[record_id]
        await ctx.conn.execute(f"DROP TABLE IF EXISTS {table}{CHANGES}")
        await ctx.conn.execute(
            f"CREATE TEMP TABLE {table}{CHANGES} (change_type text, pro_order bigint, "
            f"file_no integer, line_no integer, LIKE {table})"
        )
    # UPRNs a child record may name: those live, and those this update inserts.
    await ctx.conn.execute("DROP TABLE IF EXISTS abp_blpu_known")
    await ctx.conn.execute(
        "CREATE TEMP TABLE abp_blpu_known AS SELECT uprn FROM abp_blpu UNION "
        f"SELECT c4::bigint FROM {STAGE_TABLE}_21 WHERE c2 = 'I' AND c4 ~ '^[0-9]{{1,18}}$'"
    )
    await ctx.conn.execute("CREATE INDEX ON abp_blpu_known (uprn)")


async def _refuse_out_of_sequence(ctx: LoadContext, record_id: int) -> None:
    table = RAW_TABLES[record_id]
    key = key_columns(record_id)
    joined = " AND ".join(f"live.{k} = c.{k}" for k in key)
    rows = await ctx.conn.fetch(
        f"SELECT {', '.join('c.' + k for k in key)}, c.change_type, c.file_no, c.line_no, "
        f"EXISTS (SELECT 1 FROM {table} live WHERE {joined}) AS in_live "
        f"FROM {table}{CHANGES} c ORDER BY {', '.join('c.' + k for k in key)}, c.pro_order"
    )
    by_key: dict[tuple[object, ...], list[Change]] = {}
    for row in rows:
        change_key = tuple(row[k] for k in key)
        change = Change(
            change_key, row["change_type"], row["file_no"], row["line_no"], row["in_live"]
        )
        by_key.setdefault(change_key, []).append(change)
    for changes in by_key.values():
        for change, reason in out_of_sequence(changes):
            await _refuse(
                ctx, record_id, change, f"{reason} ({PREMIUM_KEYS[record_id]} {change.key[0]})"
            )


async def _refuse(ctx: LoadContext, record_id: int, change: Change, reason: str) -> None:
    table = f"{RAW_TABLES[record_id]}{CHANGES}"
    await ctx.conn.execute(
        f"DELETE FROM {table} WHERE file_no = $1 AND line_no = $2", change.file_no, change.line_no
    )
    counts = ctx.report.counts[LABELS[record_id]]
    counts.loaded -= 1
    ctx.report.reject(
        file=ctx.file_names[change.file_no],
        line=change.line_no,
        record_type=LABELS[record_id],
        reason=reason,
        content=f"CHANGE_TYPE {change.change_type}",
    )


async def _apply_to_raw_table(ctx: LoadContext, record_id: int) -> None:
    """The last change of each key (by PRO_ORDER) decides: deleted, or replaced by its row."""
    table = RAW_TABLES[record_id]
    key = key_columns(record_id)
    columns = ", ".join(name.lower() for name in stored_columns(record_id))
    final = (
        f"SELECT DISTINCT ON ({', '.join(key)}) * FROM {table}{CHANGES} "
        f"ORDER BY {', '.join(key)}, pro_order DESC"
    )
    joined = " AND ".join(f"t.{k} = f.{k}" for k in key)
    await ctx.conn.execute(f"DELETE FROM {table} t USING ({final}) f WHERE {joined}")
    await ctx.conn.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ({final}) f "
        "WHERE f.change_type <> 'D'"
    )


async def _collect_affected(ctx: LoadContext) -> int:
    """The UPRNs whose address must be rebuilt, and the postcodes whose centre may move."""
    sources = [f"SELECT uprn FROM {RAW_TABLES[r]}{CHANGES}" for r in _ADDRESS_RECORDS]
    sources.append(
        "SELECT uprn FROM abp_lpi WHERE usrn IN (SELECT usrn FROM abp_street_descriptor_changes"
        " UNION SELECT usrn FROM abp_street_changes)"
    )
    await ctx.conn.execute("DROP TABLE IF EXISTS affected_uprns")
    await ctx.conn.execute(f"CREATE TEMP TABLE affected_uprns AS {' UNION '.join(sources)}")
    await ctx.conn.execute("CREATE UNIQUE INDEX ON affected_uprns (uprn)")
    await ctx.conn.execute("DROP TABLE IF EXISTS affected_postcodes")
    await ctx.conn.execute(
        "CREATE TEMP TABLE affected_postcodes AS SELECT DISTINCT postcode_key FROM addresses "
        "WHERE uprn IN (SELECT uprn FROM affected_uprns) AND postcode_key IS NOT NULL"
    )
    return int(await ctx.conn.fetchval("SELECT count(*) FROM affected_uprns"))


async def _rebuild_addresses(ctx: LoadContext) -> None:
    await ctx.conn.execute("DELETE FROM addresses WHERE uprn IN (SELECT uprn FROM affected_uprns)")
    sql = model_sql(
        raw_suffix="", target="addresses", uprn_filter="uprn IN (SELECT uprn FROM affected_uprns)"
    )
    await ctx.conn.execute(sql, ctx.version_id)
    await rebuild_postcodes(ctx)


async def rebuild_postcodes(ctx: LoadContext) -> None:
    """Recompute each postcode the changed addresses had before (affected_postcodes) or have
    now, so centres and counts follow the change."""
    conn = ctx.conn
    await conn.execute(
        "INSERT INTO affected_postcodes SELECT DISTINCT postcode_key FROM addresses "
        "WHERE uprn IN (SELECT uprn FROM affected_uprns) AND postcode_key IS NOT NULL"
    )
    keys = "(SELECT postcode_key FROM affected_postcodes)"
    await conn.execute(f"DELETE FROM postcodes WHERE postcode_key IN {keys}")
    source = f"(SELECT * FROM addresses WHERE postcode_key IN {keys})"
    await build_postcodes(conn, source=source, target="postcodes")


async def apply_premium_changes(ctx: LoadContext) -> None:
    """Check every change, then apply them all and rebuild what they touch, atomically."""
    if not await ctx.conn.fetchval("SELECT EXISTS (SELECT 1 FROM addresses)"):
        raise CliError(
            "this is a change-only update but no addresses are loaded; load a full supply first"
        )
    await _create_change_tables(ctx)
    await type_raw_records(ctx, full_supply=False, suffix=CHANGES)
    for record_id in RECORD_ORDER:
        await _refuse_out_of_sequence(ctx, record_id)
    ctx.stage("checked every change against the live data")
    check_reject_rate(ctx)
    async with guarded_change(ctx):
        for record_id in RECORD_ORDER:
            await _apply_to_raw_table(ctx, record_id)
        affected = await _collect_affected(ctx)
        await _rebuild_addresses(ctx)
        await reindex_changed(ctx.conn)
    ctx.stage(f"applied the changes and rebuilt {affected:,} addresses")
