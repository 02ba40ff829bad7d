"""Loading areas: boundaries of one type, and contacts, each as a recorded data version. The
commands (loaders.cli.load) say what the operator typed; this says what happens."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console

from loaders.core.report import LoadReport, stage_line
from loaders.core.sessions import connect_for_load
from loaders.core.versions import begin_version, describe_source, exclusive_load, finish_version
from loaders.errors import CliError
from loaders.ingest.areas import boundaries, contacts
from loaders.ingest.areas import store as area_store
from service.db.types import Connection
from service.spatial.hierarchy import HIERARCHY

Work = Callable[[Connection, int, LoadReport], Awaitable[None]]


async def load_boundary_file(
    url: str,
    source: boundaries.BoundarySource,
    *,
    declared: str | None,
    rejects_dir: Path,
    console: Console,
) -> LoadReport:
    """Replace the areas of the source's type with the file's, as one data version."""

    async def work(conn: Connection, version_id: int, report: LoadReport) -> None:
        await _load_boundaries(
            conn, version_id, report, source=source, declared=declared, out=console
        )

    dataset = f"boundaries:{source.area_type}"
    return await recorded_area_load(
        url, dataset, source.path, rejects_dir=rejects_dir, work=work, out=console
    )


async def load_contacts_file(
    url: str, path: Path, *, rejects_dir: Path, console: Console
) -> LoadReport:
    """Replace every contact with the file's, as one data version."""

    async def work(conn: Connection, version_id: int, report: LoadReport) -> None:
        await _load_contacts(conn, version_id, report, path=path, out=console)

    return await recorded_area_load(
        url, "contacts", path, rejects_dir=rejects_dir, work=work, out=console
    )


async def _load_boundaries(
    conn: Connection,
    version_id: int,
    report: LoadReport,
    *,
    source: boundaries.BoundarySource,
    declared: str | None,
    out: Console,
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


async def _load_contacts(
    conn: Connection, version_id: int, report: LoadReport, *, path: Path, out: Console
) -> None:
    """Check every row, replace the contacts, and warn of codes with no area loaded yet."""
    rows = contacts.read_contacts(path, report)
    await contacts.replace_contacts(conn, rows, version_id)
    missing = await contacts.codes_without_area(conn)
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        out.print(f"warning: {len(missing):,} area codes have no loaded area yet: {shown}")


async def recorded_area_load(
    url: str, dataset: str, path: Path, *, rejects_dir: Path, work: Work, out: Console
) -> LoadReport:
    """Run a load under the dataset's lock as a data version that ends live or failed (with
    the reason); its rejects file is <rejects_dir>/<dataset>-v<version>.csv."""
    conn = await connect_for_load(url, dataset)
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
