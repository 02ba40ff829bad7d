"""``address-lookup load ...``: bring data in (AddressBase or CSV addresses, boundaries,
contacts). Each command reads the operator's options and prints the outcome; the work is done
in loaders.ingest."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from loaders.cli.load_areas import load_boundaries, load_contacts
from loaders.cli.load_options import (
    ForceOption,
    MaxRejectRateOption,
    MaxShrinkOption,
    RejectsDirOption,
    SwapWaitOption,
)
from loaders.cli.load_postcodes import load_postcodes
from loaders.cli.support import out, run_async
from loaders.core.context import LoadContext, LoadOptions
from loaders.core.database import database_url
from loaders.core.guards import DEFAULT_MAX_SHRINK, ReplaceLimits
from loaders.core.recorded import LoadResult, recorded_load
from loaders.core.sessions import ADDRESS_DATASET, connect_for_load
from loaders.core.sources import SourceSet, collect_sources
from loaders.core.swap import DEFAULT_SWAP_WAIT_S
from loaders.ingest.addressbase.load import load_addressbase
from loaders.ingest.plaincsv import ColumnMap, load_plain_csv
from service.settings import Settings

load_app = typer.Typer(
    rich_markup_mode=None,
    help="Load data: AddressBase or CSV addresses, boundaries, contacts, postcode points.",
    no_args_is_help=True,
)


class Mode(StrEnum):
    auto = "auto"
    full = "full"
    change_only = "change-only"


async def _load_addressbase(
    url: str, paths: list[str], options: LoadOptions, rejects: Path
) -> LoadResult:
    conn = await connect_for_load(url, ADDRESS_DATASET)
    try:
        return await load_addressbase(conn, paths, options, out, rejects, database_url=url)
    finally:
        await conn.close()


def load_addressbase_command(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders, globs (quoted) or zips of AddressBase CSV files."),
    ],
    mode: Annotated[
        Mode,
        typer.Option(help="full or change-only; auto reads it from the supply's header records."),
    ] = Mode.auto,
    max_reject_rate: MaxRejectRateOption = 0.001,
    allow_truncated: Annotated[
        bool,
        typer.Option(help="Load files whose trailer record is missing or disagrees with them."),
    ] = False,
    max_shrink: MaxShrinkOption = DEFAULT_MAX_SHRINK,
    force: ForceOption = False,
    swap_wait: SwapWaitOption = DEFAULT_SWAP_WAIT_S,
    rejects_dir: RejectsDirOption = Path("rejects"),
) -> None:
    """Load AddressBase Premium or Plus: a full supply, or a change-only update.

    Premium or Plus, full or change-only are detected from the files. A full supply is built
    beside the live data and swapped in at once; a change-only update is applied in one
    transaction. If the load fails, too many rows are bad, or it would leave far fewer
    addresses than are live (--max-shrink, unless --force), the live data is unchanged and
    the service keeps answering throughout. The swap never makes the service's queries wait:
    while another session holds the live tables it tries again for up to --swap-wait seconds,
    then gives up naming that session.
    """
    options = LoadOptions(
        mode=mode.value,
        max_reject_rate=max_reject_rate,
        allow_truncated=allow_truncated,
        limits=ReplaceLimits(max_shrink=max_shrink, force=force),
        swap_wait_s=swap_wait,
    )
    url = database_url(Settings())
    result = run_async(_load_addressbase, url, paths, options, rejects_dir)
    out.print(result.report.summary_table(f"Data version {result.version_id}: {result.kind}"))
    for warning in result.warnings:
        out.print(f"warning: {warning}")
    out.print(f"rejects: {result.report.rejects_path} ({result.report.rejected:,} rows)")


async def _load_csv(
    url: str, sources: SourceSet, columns: ColumnMap, options: LoadOptions, rejects: Path
) -> LoadResult:
    async def body(ctx: LoadContext, found: SourceSet) -> str:
        await load_plain_csv(ctx, found, columns)
        return "csv"

    conn = await connect_for_load(url, ADDRESS_DATASET)
    try:
        return await recorded_load(
            conn,
            sources,
            options,
            out,
            rejects,
            kind="csv",
            body=body,
            database_url=url,
        )
    finally:
        await conn.close()


Header = Annotated[str | None, typer.Option(help="Header of this column.")]


def load_csv_command(
    paths: Annotated[list[str], typer.Argument(help="CSV files with a header row, or folders.")],
    uprn_column: Annotated[str, typer.Option(help="Header of the UPRN column.")] = "uprn",
    address_columns: Annotated[
        str, typer.Option(help="Header(s) of the address, comma-separated, joined in order.")
    ] = "address",
    postcode_column: Header = "postcode",
    x_column: Annotated[str | None, typer.Option(help="Header of BNG eastings.")] = "x",
    y_column: Annotated[str | None, typer.Option(help="Header of BNG northings.")] = "y",
    lat_column: Annotated[str | None, typer.Option(help="WGS84 latitudes (not x/y).")] = None,
    lon_column: Annotated[str | None, typer.Option(help="WGS84 longitudes (not x/y).")] = None,
    classification_column: Header = None,
    max_reject_rate: MaxRejectRateOption = 0.001,
    max_shrink: MaxShrinkOption = DEFAULT_MAX_SHRINK,
    force: ForceOption = False,
    swap_wait: SwapWaitOption = DEFAULT_SWAP_WAIT_S,
    rejects_dir: RejectsDirOption = Path("rejects"),
) -> None:
    """Load addresses from a plain CSV (a council's own gazetteer extract, say), replacing the
    live addresses at once when the whole file is good. Columns are found by header name."""
    columns = ColumnMap(
        uprn=uprn_column,
        address=tuple(name.strip() for name in address_columns.split(",") if name.strip()),
        postcode=postcode_column or None,
        x=x_column,
        y=y_column,
        lat=lat_column,
        lon=lon_column,
        classification=classification_column,
    )
    options = LoadOptions(
        mode="full",
        max_reject_rate=max_reject_rate,
        limits=ReplaceLimits(max_shrink=max_shrink, force=force),
        swap_wait_s=swap_wait,
    )
    sources = collect_sources(paths)
    result = run_async(_load_csv, database_url(Settings()), sources, columns, options, rejects_dir)
    out.print(result.report.summary_table(f"Data version {result.version_id}: csv"))
    for warning in result.warnings:
        out.print(f"warning: {warning}")
    out.print(f"rejects: {result.report.rejects_path} ({result.report.rejected:,} rows)")


load_app.command("addressbase")(load_addressbase_command)
load_app.command("csv")(load_csv_command)
load_app.command("boundaries")(load_boundaries)
load_app.command("contacts")(load_contacts)
load_app.command("postcodes")(load_postcodes)
