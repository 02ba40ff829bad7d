"""The ``load addressbase`` command."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from loaders.addressbase.context import LoadOptions
from loaders.addressbase.load import LoadResult, load_addressbase
from loaders.cli_support import connect, database_url, out, run_async
from service.settings import Settings


class Mode(StrEnum):
    auto = "auto"
    full = "full"
    change_only = "change-only"


async def _load(url: str, paths: list[str], options: LoadOptions, rejects: Path) -> LoadResult:
    conn = await connect(url)
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
    max_reject_rate: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Fail before changing anything if more rows than this are bad."
        ),
    ] = 0.001,
    allow_truncated: Annotated[
        bool,
        typer.Option(help="Load files whose trailer record is missing or disagrees with them."),
    ] = False,
    rejects_dir: Annotated[
        Path, typer.Option(help="Where the rejects file (every refused row and why) is written.")
    ] = Path("rejects"),
) -> None:
    """Load AddressBase Premium or Plus: a full supply, or a change-only update.

    Premium or Plus, full or change-only are detected from the files. A full supply is built
    beside the live data and swapped in at once; a change-only update is applied in one
    transaction. If the load fails, or too many rows are bad, the live data is unchanged and
    the service keeps answering throughout.
    """
    options = LoadOptions(
        mode=mode.value, max_reject_rate=max_reject_rate, allow_truncated=allow_truncated
    )
    url = database_url(Settings())
    result = run_async(_load, url, paths, options, rejects_dir)
    out.print(result.report.summary_table(f"Data version {result.version_id}: {result.kind}"))
    for warning in result.warnings:
        out.print(f"warning: {warning}")
    out.print(f"rejects: {result.report.rejects_path} ({result.report.rejected:,} rows)")
