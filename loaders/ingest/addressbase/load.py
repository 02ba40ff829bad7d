"""``address-lookup load addressbase``: detect what the files are (Premium or Plus, full or
change-only), stage them, check them, build and swap, and record the load as a data version."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from loaders.core.context import LoadContext, LoadOptions
from loaders.core.recorded import LoadResult, recorded_load
from loaders.core.report import LoadProgress
from loaders.core.sources import DecodeStats, Source, SourceSet, collect_sources, read_rows
from loaders.core.staging import StageStats, stage_sources
from loaders.errors import CliError
from loaders.ingest.addressbase import plus
from loaders.ingest.addressbase.changes import apply_premium_changes
from loaders.ingest.addressbase.layout import (
    PLUS_COLUMNS,
    PREMIUM_COLUMNS,
    PREMIUM_SUPPLY_RECORDS,
)
from loaders.ingest.addressbase.premium import STAGE_TABLE, load_full_premium
from loaders.ingest.addressbase.premium_rows import (
    PremiumRowCheck,
    supply_mode,
    truncation_problems,
)
from service.db.types import Connection

_PREMIUM_WIDTH = max(len(columns) for columns in PREMIUM_COLUMNS.values())


def source_format(source: Source) -> str | None:
    """'premium', 'plus' or 'empty' from a file's first row; None when it is neither."""
    for _, row in read_rows(source, DecodeStats(), lambda *_: None):
        if row[0].strip().upper() == "UPRN" or len(row) == len(PLUS_COLUMNS):
            return "plus"
        if row[0].strip().isdigit() and int(row[0]) in PREMIUM_COLUMNS:
            return "premium"
        return None
    return "empty"


def detect_format(sources: SourceSet) -> str:
    """The supply's format, from its files' first rows. Files of another kind (a contacts CSV
    in the same folder, say) are skipped and listed, never read as addresses."""
    formats = {source.name: source_format(source) for source in sources.sources}
    found = [f for f in formats.values() if f in ("premium", "plus")]
    if not found:
        names = ", ".join(formats)
        raise CliError(
            f"no AddressBase Premium or Plus files found in {names}: Premium lines start with a "
            f"record type such as 10 or 21; Plus rows have {len(PLUS_COLUMNS)} columns"
        )
    if len(set(found)) > 1:
        raise CliError("the files mix AddressBase Premium and Plus; load each on its own")
    chosen = found[0]
    kept = [s for s in sources.sources if formats[s.name] in (chosen, "empty")]
    sources.skipped += [
        f"{s.name} (not AddressBase {chosen})" for s in sources.sources if s not in kept
    ]
    sources.sources = kept
    return chosen


async def load_addressbase(
    conn: Connection,
    patterns: list[str],
    options: LoadOptions,
    console: Console,
    rejects: Path,
    *,
    database_url: str | None = None,
) -> LoadResult:
    """Load a supply; the live data changes only if the whole load succeeds."""
    sources = collect_sources(patterns)
    file_format = detect_format(sources)

    async def body(ctx: LoadContext, found: SourceSet) -> str:
        return await _run(ctx, found, file_format)

    return await recorded_load(
        conn,
        sources,
        options,
        console,
        rejects,
        kind=file_format,
        body=body,
        database_url=database_url,
    )


async def _run(ctx: LoadContext, sources: SourceSet, file_format: str) -> str:
    if file_format == "plus":
        return await plus.load_plus(ctx, sources)
    check = PremiumRowCheck()
    with LoadProgress(ctx.console, "reading", sources.total_bytes) as progress:
        stats = await stage_sources(
            ctx.conn,
            table=STAGE_TABLE,
            width=_PREMIUM_WIDTH,
            sources=sources.sources,
            check=check,
            report=ctx.report,
            progress=progress,
            partitions=[str(r) for r in PREMIUM_COLUMNS if r not in PREMIUM_SUPPLY_RECORDS],
        )
    ctx.stage(f"read {ctx.report.read:,} rows from {len(sources.sources)} files")
    _note_decoding(ctx, stats)
    _check_complete(ctx, stats, check)
    mode = await _premium_mode(ctx, check)
    if mode == "full":
        await load_full_premium(ctx)
    else:
        await apply_premium_changes(ctx)
    return f"premium-{mode}"


def _note_decoding(ctx: LoadContext, stats: StageStats) -> None:
    for name, count in stats.latin1_lines.items():
        ctx.warnings.append(f"{name}: {count:,} lines were not UTF-8 and were read as Latin-1")


def _check_complete(ctx: LoadContext, stats: StageStats, check: PremiumRowCheck) -> None:
    problems = truncation_problems(ctx.file_names, stats.rows_by_source, check.supply)
    if problems and not ctx.options.allow_truncated:
        raise CliError(
            "; ".join(problems)
            + ". The live data is unchanged: fetch the files again, or pass --allow-truncated "
            "to load them as they are."
        )
    ctx.warnings.extend(problems)


async def _premium_mode(ctx: LoadContext, check: PremiumRowCheck) -> str:
    """Full or change-only: from the header records, else from the change types present."""
    try:
        declared = supply_mode(check.supply)
    except ValueError as error:
        raise CliError(str(error)) from None
    if declared is None:
        changes = await ctx.conn.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM {STAGE_TABLE} WHERE c2 IN ('U', 'D'))"
        )
        declared = "change-only" if changes else "full"
    wanted = ctx.options.mode
    if wanted not in ("auto", declared):
        raise CliError(
            f"--mode {wanted} was given but the supply is {declared}; the live data is unchanged"
        )
    return declared
