"""``address-lookup load postcodes``: where each postcode is (Code-Point Open or ONSPD), so
that areas can be found for a postcode none of whose addresses is loaded."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from loaders.cli.load_options import (
    ForceOption,
    MaxRejectRateOption,
    MaxShrinkOption,
    RejectsDirOption,
    SwapWaitOption,
)
from loaders.cli.support import out
from loaders.core.database import database_url
from loaders.core.guards import DEFAULT_MAX_SHRINK, ReplaceLimits
from loaders.core.swap import DEFAULT_SWAP_WAIT_S
from loaders.ingest.postcode_load import PointLoadOptions, load_postcode_points
from service.settings import Settings


def load_postcodes(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, globs (quoted) or zips of Code-Point Open or ONSPD CSVs."
        ),
    ],
    max_reject_rate: MaxRejectRateOption = 0.001,
    max_shrink: MaxShrinkOption = DEFAULT_MAX_SHRINK,
    force: ForceOption = False,
    swap_wait: SwapWaitOption = DEFAULT_SWAP_WAIT_S,
    rejects_dir: RejectsDirOption = Path("rejects"),
) -> None:
    """Load postcode points, replacing every one at once: OS Code-Point Open (its CSVs have no
    header; columns postcode, positional quality, eastings, northings, ...) or the ONS
    Postcode Directory (a CSV with a header; pcds, oseast1m, osnrth1m; terminated postcodes,
    with a doterm, are counted and left out). Other files (Code-Point's column headers file)
    are skipped and listed. Rows without a position in Great Britain (Code-Point's positional
    quality 90) go to the rejects file with their line. /v1/areas?postcode= then answers for
    a postcode with no addresses loaded from its point."""
    options = PointLoadOptions(
        rejects_dir=rejects_dir,
        max_reject_rate=max_reject_rate,
        limits=ReplaceLimits(max_shrink=max_shrink, force=force),
        swap_wait_s=swap_wait,
    )
    report = asyncio.run(
        load_postcode_points(database_url(Settings()), paths, options=options, console=out)
    )
    out.print(report.summary_table("postcodes loaded"))
    if report.rejected:
        out.print(f"rejects: {report.rejected:,} rows written to {report.rejects_path}")
