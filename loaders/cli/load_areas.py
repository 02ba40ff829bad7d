"""``address-lookup load boundaries`` and ``load contacts``: areas and who to send reports
about them to, each loaded into a named data set (a council's) that a load replaces whole,
leaving other sets as they are."""

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
)
from loaders.cli.support import out
from loaders.core.database import database_url
from loaders.core.guards import DEFAULT_MAX_SHRINK, ReplaceLimits
from loaders.core.report import LoadReport
from loaders.errors import CliError
from loaders.ingest.areas import boundaries, modgov
from loaders.ingest.areas.load import (
    DEFAULT_AREA_REJECT_RATE,
    AreaLoadOptions,
    load_boundary_file,
    load_contacts_file,
    load_modgov_contacts,
)
from service.settings import Settings

InputFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The file to load.")
]
SetOption = Annotated[
    str,
    typer.Option(
        "--set",
        help="The data set to load into (a council's, e.g. trafford): a load replaces only "
        "this set's areas of the type (or contacts); other sets stay as they are.",
    ),
]


def _options(
    rejects_dir: Path, max_reject_rate: float, max_shrink: float, force: bool
) -> AreaLoadOptions:
    limits = ReplaceLimits(max_shrink=max_shrink, force=force)
    return AreaLoadOptions(rejects_dir, max_reject_rate, limits)


def load_boundaries(
    path: InputFile,
    *,
    area_type: Annotated[
        str,
        typer.Option(
            "--type", help="Area type: parish, ward, district, county or your own (waste_round)."
        ),
    ],
    set_name: SetOption = boundaries.DEFAULT_SET,
    code_field: Annotated[str, typer.Option(help="Field holding each area's code.")] = "code",
    name_field: Annotated[str, typer.Option(help="Field holding each area's name.")] = "name",
    source_crs: Annotated[
        str | None,
        typer.Option(
            help="The file's coordinate system, e.g. EPSG:27700, when it has none or a wrong one."
        ),
    ] = None,
    parent_type: Annotated[
        str | None,
        typer.Option(
            help="Type whose areas contain these (default: the next type up "
            "parish > ward > district > county; none for custom types)."
        ),
    ] = None,
    layer: Annotated[str | None, typer.Option(help="Layer to read (GeoPackage).")] = None,
    max_reject_rate: MaxRejectRateOption = DEFAULT_AREA_REJECT_RATE,
    max_shrink: MaxShrinkOption = DEFAULT_MAX_SHRINK,
    force: ForceOption = False,
    rejects_dir: RejectsDirOption = Path("rejects"),
) -> None:
    """Load boundaries of one area type from GeoJSON, Shapefile or GeoPackage, in any
    coordinate system, replacing that type's areas of the data set (--set) in one step; other
    types and sets are untouched, so each council's parishes sit side by side. Files whose
    coordinates do not fall in Great Britain are refused before any area changes, with the
    fix (usually --source-crs); invalid polygons are repaired and counted; refused features
    are written to the rejects file with their position in the file. Refused, changing
    nothing: more bad features than --max-reject-rate, or a load that would empty the set's
    areas of the type or shrink them by more than --max-shrink (unless --force). Contacts
    the load leaves without an area are listed."""
    boundaries.check_area_type(area_type)
    boundaries.check_set_name(set_name)
    if parent_type is not None:
        boundaries.check_area_type(parent_type)
    source = boundaries.BoundarySource(
        path, area_type, code_field, name_field, source_crs, layer, set_name
    )
    options = _options(rejects_dir, max_reject_rate, max_shrink, force)
    report = asyncio.run(
        load_boundary_file(
            database_url(Settings()), source, declared=parent_type, options=options, console=out
        )
    )
    _print_summary(f"boundaries:{area_type}:{set_name}", report)


def load_contacts(
    path: Annotated[
        Path | None,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="The contacts CSV (not with --modgov)."
        ),
    ] = None,
    *,
    modgov_source: Annotated[
        str | None,
        typer.Option(
            "--modgov",
            help="Instead of a CSV: a Modern.Gov GetCouncillorsByWard answer, saved XML or its "
            "URL (https://SITE/mgWebService.asmx/GetCouncillorsByWard): ward councillors' work "
            "contact details attached to the set's wards.",
        ),
    ] = None,
    set_name: SetOption = boundaries.DEFAULT_SET,
    max_reject_rate: MaxRejectRateOption = DEFAULT_AREA_REJECT_RATE,
    max_shrink: MaxShrinkOption = DEFAULT_MAX_SHRINK,
    force: ForceOption = False,
    rejects_dir: RejectsDirOption = Path("rejects"),
) -> None:
    """Load area contacts (parish clerks...) from a CSV, or ward councillors from Modern.Gov
    (--modgov), replacing the data set's contacts (--set) in one step.

    CSV: header row required; columns: area_code (required), area_type (optional, when types
    share codes), name, role, email, phone, url; other columns are ignored. Rows with no area
    code, no way to contact anyone, or a malformed email, UK phone number or http(s) web
    address are written to the rejects file with their line number (the header is line 1).

    Modern.Gov: each councillor is attached to the loaded ward of the set with the ward's name,
    with the work email and phone only (a home address, phone or email is never read);
    councillors of wards not loaded are written to the rejects file.

    Refused, changing nothing: more bad rows than --max-reject-rate, or a load that would empty
    the set's contacts or shrink them by more than --max-shrink (unless --force)."""
    boundaries.check_set_name(set_name)
    if (path is None) == (modgov_source is None):
        raise CliError("give either a contacts CSV or --modgov URL-or-FILE, not both or neither")
    options = _options(rejects_dir, max_reject_rate, max_shrink, force)
    url = database_url(Settings())
    if modgov_source is not None:
        answer = modgov.read_modgov(modgov_source)
        load = load_modgov_contacts(url, answer, set_name=set_name, options=options, console=out)
    else:
        assert path is not None
        load = load_contacts_file(url, path, set_name=set_name, options=options, console=out)
    _print_summary(f"contacts:{set_name}", asyncio.run(load))


def _print_summary(dataset: str, report: LoadReport) -> None:
    out.print(report.summary_table(f"{dataset} loaded"))
    if report.rejected:
        out.print(f"rejects: {report.rejected:,} rows written to {report.rejects_path}")
