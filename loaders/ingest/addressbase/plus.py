"""AddressBase Plus: one flat row per address. A full supply becomes new ``addresses`` and
``postcodes`` copies swapped in; a change-only supply replaces the changed addresses in one
transaction."""

from __future__ import annotations

from loaders.core.context import (
    REJECTS_TABLE,
    LoadContext,
    check_reject_rate,
    collect_sql_rejects,
)
from loaders.core.report import LoadProgress
from loaders.core.sources import SourceSet
from loaders.core.staging import stage_sources
from loaders.errors import CliError
from loaders.ingest.addressbase.changes import Change, out_of_sequence, rebuild_postcodes
from loaders.ingest.addressbase.columns import column_type
from loaders.ingest.addressbase.layout import PLUS_COLUMNS
from loaders.ingest.addressbase.validation import PLUS_RECORD, insert_checked, plus_insert
from loaders.ingest.model import guarded_change, publish_model
from loaders.searchindex.build import reindex_changed
from service.sqlfiles import sql

STAGE_TABLE = "abp_plus_stage"
ROWS_TABLE = "plus_rows"
LABEL = "plus address"


def check_plus_row(file_no: int, row: list[str]) -> tuple[str, str | None, list[str] | None]:
    """The header row is read and skipped; every other row needs all the Plus columns."""
    if row[0].strip().upper() == "UPRN":
        return "plus header", None, None
    if len(row) != len(PLUS_COLUMNS):
        return LABEL, f"a Plus row has {len(PLUS_COLUMNS)} columns; this one has {len(row)}", None
    return LABEL, None, row


async def _type_rows(ctx: LoadContext, *, full_supply: bool) -> None:
    columns = ", ".join(
        f"{name.lower()} {column_type(name)}" for name in PLUS_COLUMNS if name != "CHANGE_TYPE"
    )
    await ctx.conn.execute(f"DROP TABLE IF EXISTS {ROWS_TABLE}")
    await ctx.conn.execute(
        f"CREATE TEMP TABLE {ROWS_TABLE} (change_type text, file_no integer, line_no integer, "
        f"{columns})"
    )
    spec = plus_insert(
        stage=STAGE_TABLE, target=ROWS_TABLE, rejects=REJECTS_TABLE, full_supply=full_supply
    )
    ctx.report.counts[LABEL].loaded += await insert_checked(ctx.conn, spec)
    await collect_sql_rejects(ctx, {PLUS_RECORD: LABEL})


def _model_sql(source: str, target: str) -> str:
    return sql(__package__, "plus_to_addresses").format(source=source, target=target)


async def _load_full(ctx: LoadContext) -> None:
    await _type_rows(ctx, full_supply=True)
    check_reject_rate(ctx)

    async def build(target: str) -> int:
        status = await ctx.conn.execute(_model_sql(ROWS_TABLE, target), ctx.version_id)
        return int(status.split()[-1])

    await publish_model(ctx, build)


async def _refuse_out_of_sequence(ctx: LoadContext) -> None:
    rows = await ctx.conn.fetch(
        f"SELECT r.uprn, r.change_type, r.file_no, r.line_no, "
        "EXISTS (SELECT 1 FROM addresses a WHERE a.uprn = r.uprn) AS in_live "
        f"FROM {ROWS_TABLE} r ORDER BY r.uprn, r.file_no, r.line_no"
    )
    by_uprn: dict[int, list[Change]] = {}
    for row in rows:
        change = Change(
            (row["uprn"],), row["change_type"], row["file_no"], row["line_no"], row["in_live"]
        )
        by_uprn.setdefault(row["uprn"], []).append(change)
    for changes in by_uprn.values():
        for change, reason in out_of_sequence(changes):
            await ctx.conn.execute(
                f"DELETE FROM {ROWS_TABLE} WHERE file_no = $1 AND line_no = $2",
                change.file_no,
                change.line_no,
            )
            ctx.report.counts[LABEL].loaded -= 1
            ctx.report.reject(
                file=ctx.file_names[change.file_no],
                line=change.line_no,
                record_type=LABEL,
                reason=f"{reason} (UPRN {change.key[0]})",
                content=f"CHANGE_TYPE {change.change_type}",
            )


async def _apply_changes(ctx: LoadContext) -> None:
    if not await ctx.conn.fetchval("SELECT EXISTS (SELECT 1 FROM addresses)"):
        raise CliError(
            "this is a change-only update but no addresses are loaded; load a full supply first"
        )
    await _type_rows(ctx, full_supply=False)
    await _refuse_out_of_sequence(ctx)
    check_reject_rate(ctx)
    async with guarded_change(ctx):
        await _replace_changed_addresses(ctx)
        await rebuild_postcodes(ctx)
        await reindex_changed(ctx.conn)
    ctx.stage("applied the changes")


async def _replace_changed_addresses(ctx: LoadContext) -> None:
    """Each changed UPRN's last row (in file order) replaces it, or deletes it."""
    conn = ctx.conn
    for table in ("affected_uprns", "affected_postcodes"):
        await conn.execute(f"DROP TABLE IF EXISTS {table}")
    await conn.execute(
        f"CREATE TEMP TABLE affected_uprns AS SELECT DISTINCT uprn FROM {ROWS_TABLE}"
    )
    await conn.execute(
        "CREATE TEMP TABLE affected_postcodes AS SELECT DISTINCT postcode_key FROM addresses "
        "WHERE uprn IN (SELECT uprn FROM affected_uprns) AND postcode_key IS NOT NULL"
    )
    await conn.execute("DELETE FROM addresses WHERE uprn IN (SELECT uprn FROM affected_uprns)")
    last = (
        f"SELECT DISTINCT ON (uprn) * FROM {ROWS_TABLE} ORDER BY uprn, file_no DESC, line_no DESC"
    )
    surviving = f"(SELECT * FROM ({last}) f WHERE f.change_type <> 'D')"
    await conn.execute(_model_sql(surviving, "addresses"), ctx.version_id)


async def load_plus(ctx: LoadContext, sources: SourceSet) -> str:
    """Stage the Plus rows, then load them as a full supply or apply them as changes."""
    with LoadProgress(ctx.console, "reading", sources.total_bytes) as progress:
        await stage_sources(
            ctx.conn,
            table=STAGE_TABLE,
            width=len(PLUS_COLUMNS),
            sources=sources.sources,
            check=check_plus_row,
            report=ctx.report,
            progress=progress,
        )
    ctx.stage(f"read {ctx.report.read:,} rows")
    changes = await ctx.conn.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM {STAGE_TABLE} WHERE c3 IN ('U', 'D'))"
    )
    mode = (
        ctx.options.mode if ctx.options.mode != "auto" else ("change-only" if changes else "full")
    )
    if mode == "full":
        await _load_full(ctx)
    else:
        await _apply_changes(ctx)
    return f"plus-{mode}"
