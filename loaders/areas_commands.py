"""``address-lookup load boundaries`` and ``address-lookup load contacts``: what the operator
types and sees. The work is done in loaders.boundaries and loaders.contacts."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from loaders import area_store, boundaries, contacts
from loaders.cli_support import connect, database_url, out, run_async
from loaders.errors import CliError
from loaders.report import LoadReport, stage_line
from loaders.versions import begin_version, describe_source, exclusive_load, finish_version
from service.dbtypes import Connection
from service.settings import Settings
from service.spatial.hierarchy import HIERARCHY

RejectsDirOption = Annotated[
    Path,
    typer.Option(
        help="Folder for the rejects file: every refused row with its line and the reason.",
    ),
]
InputFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The file to load.")
]


def load_boundaries(
    path: InputFile,
    *,
    area_type: Annotated[
        str,
        typer.Option(
            "--type", help="Area type: parish, ward, district, county or your own (waste_round)."
        ),
    ],
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
    rejects_dir: RejectsDirOption = Path("rejects"),
) -> None:
    """Load boundaries of one area type from GeoJSON, Shapefile or GeoPackage, in any
    coordinate system, replacing that type's areas in one step (other types are untouched).
    Files whose coordinates do not fall in Great Britain are refused before any area
    changes, with the fix (usually --source-crs); invalid polygons are repaired and counted;
    refused features are written to the rejects file with their position in the file."""
    boundaries.check_area_type(area_type)
    if parent_type is not None:
        boundaries.check_area_type(parent_type)
    source = boundaries.BoundarySource(path, area_type, code_field, name_field, source_crs, layer)
    work = partial(_load_boundaries, source=source, declared=parent_type)
    dataset = f"boundaries:{area_type}"
    report = run_async(_recorded_load, database_url(Settings()), dataset, path, rejects_dir, work)
    _print_summary(dataset, report)


async def _load_boundaries(
    conn: Connection,
    version_id: int,
    report: LoadReport,
    *,
    source: boundaries.BoundarySource,
    declared: str | None,
) -> None:
    """Read and check the file (refusing it before any area changes), then replace the type."""
    started = time.monotonic()
    prepared = boundaries.prepare(source, report)
    crs = f"{prepared.crs_name} to EPSG:27700"
    stage_line(out, started, f"read {report.read:,} features from {source.path.name} ({crs})")
    if not prepared:
        raise CliError(
            f"no feature of {source.path.name} could be loaded (see {report.rejects_path}); "
            f"the {source.area_type} areas were left as they were"
        )
    started = time.monotonic()
    parts = await area_store.replace_areas(
        conn, source, prepared, version_id=version_id, declared_parent=declared
    )
    stage_line(out, started, f"replaced the {source.area_type} areas")
    parent, with_parent = await area_store.parent_summary(conn, source.area_type)
    out.print(f"areas: {len(prepared):,} ({parts:,} parts for point lookups)")
    out.print(f"repaired: {prepared.repaired:,} invalid geometries (made valid)")
    out.print(parent_line(source.area_type, declared, parent, with_parent, len(prepared)))


def load_contacts(path: InputFile, *, rejects_dir: RejectsDirOption = Path("rejects")) -> None:
    """Load area contacts from a CSV, replacing all contacts in one step. Header row required;
    columns: area_code (required), area_type (optional, when types share codes), name, role,
    email, phone, url; other columns are ignored. Rows with no area code, no way to contact
    anyone, or a malformed email, UK phone number or http(s) web address are written to the
    rejects file with their line number (the header is line 1)."""
    work = partial(_load_contacts, path=path)
    report = run_async(
        _recorded_load, database_url(Settings()), "contacts", path, rejects_dir, work
    )
    _print_summary("contacts", report)


async def _load_contacts(
    conn: Connection, version_id: int, report: LoadReport, *, path: Path
) -> None:
    """Check every row, replace the contacts, and warn of codes with no area loaded yet."""
    rows = contacts.read_contacts(path, report)
    await contacts.replace_contacts(conn, rows, version_id)
    missing = await contacts.codes_without_area(conn)
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        out.print(f"warning: {len(missing):,} area codes have no loaded area yet: {shown}")


Work = Callable[[Connection, int, LoadReport], Awaitable[None]]


async def _recorded_load(
    url: str, dataset: str, path: Path, rejects_dir: Path, work: Work
) -> LoadReport:
    """Run a load under the dataset's lock as a data version that ends live or failed (with
    the reason); its rejects file is <rejects_dir>/<dataset>-v<version>.csv."""
    conn = await connect(url)
    try:
        async with exclusive_load(conn, dataset):
            kind = path.suffix.lstrip(".").lower() or "file"
            version_id = await begin_version(
                conn, dataset=dataset, kind=kind, sources=[describe_source(path)]
            )
            rejects = rejects_dir / f"{dataset.replace(':', '-')}-v{version_id}.csv"
            with LoadReport(rejects) as report:
                await _run_versioned(conn, version_id, report, work)
            out.print(f"{dataset} is live as data version {version_id}")
            return report
    finally:
        await conn.close()


async def _run_versioned(conn: Connection, version_id: int, report: LoadReport, work: Work) -> None:
    try:
        await work(conn, version_id, report)
    except BaseException as error:
        await finish_version(
            conn,
            version_id,
            status="failed",
            counts=report.as_json(),
            rejects_file=report.rejects_path,
            message=str(error),
        )
        raise
    await finish_version(
        conn, version_id, status="live", counts=report.as_json(), rejects_file=report.rejects_path
    )


def parent_line(
    area_type: str, declared: str | None, parent: str | None, with_parent: int, total: int
) -> str:
    """How many of the loaded areas found a parent area, or why none could."""
    if parent is not None:
        return f"parents: {with_parent:,} of {total:,} {area_type} areas lie in a {parent}"
    if declared is not None:
        return f"parents: none yet (no {declared} area contains them)"
    if area_type in HIERARCHY[:-1]:
        above = " or ".join(HIERARCHY[HIERARCHY.index(area_type) + 1 :])
        return f"parents: none yet (no {above} area contains them)"
    return "parents: none (name a containing type with --parent-type to derive them)"


def _print_summary(dataset: str, report: LoadReport) -> None:
    out.print(report.summary_table(f"{dataset} loaded"))
    if report.rejected:
        out.print(f"rejects: {report.rejected:,} rows written to {report.rejects_path}")
