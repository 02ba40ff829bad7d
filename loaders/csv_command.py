"""The ``load csv`` command: addresses from a plain CSV with mapped columns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from loaders.addressbase.context import LoadContext, LoadOptions
from loaders.addressbase.load import LoadResult, recorded_load
from loaders.cli_support import connect, database_url, out, run_async
from loaders.plaincsv import ColumnMap, load_plain_csv
from loaders.sources import SourceSet, collect_sources
from service.settings import Settings


async def _load(
    url: str, sources: SourceSet, columns: ColumnMap, options: LoadOptions, rejects: Path
) -> LoadResult:
    async def body(ctx: LoadContext, found: SourceSet) -> str:
        await load_plain_csv(ctx, found, columns)
        return "csv"

    conn = await connect(url)
    try:
        return await recorded_load(
            conn, sources, options, out, rejects, kind="csv", body=body,
            database_url=url,
        )  # fmt: skip
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
    max_reject_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Fail, changing nothing, above this bad share.")
    ] = 0.001,
    rejects_dir: Annotated[Path, typer.Option(help="Where the rejects file goes.")] = Path(
        "rejects"
    ),
) -> None:
    """Load addresses from a plain CSV (a council's own gazetteer extract, say), replacing the
    live addresses at once when the whole file is good. Columns are found by header name."""
    columns = ColumnMap(
        uprn=uprn_column,
        address=tuple(name.strip() for name in address_columns.split(",") if name.strip()),
        postcode=postcode_column or None,
        x=x_column, y=y_column, lat=lat_column, lon=lon_column,
        classification=classification_column,
    )  # fmt: skip
    options = LoadOptions(mode="full", max_reject_rate=max_reject_rate)
    sources = collect_sources(paths)
    result = run_async(_load, database_url(Settings()), sources, columns, options, rejects_dir)
    out.print(result.report.summary_table(f"Data version {result.version_id}: csv"))
    for warning in result.warnings:
        out.print(f"warning: {warning}")
    out.print(f"rejects: {result.report.rejects_path} ({result.report.rejected:,} rows)")
