"""Loading areas: boundaries of one type, and contacts, each as a recorded data version. The
commands (loaders.cli.load) say what the operator typed; this says what happens."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from loaders.core.guards import ReplaceLimits, check_reject_rate
from loaders.core.report import LoadReport, stage_line
from loaders.core.sessions import connect_for_load
from loaders.core.versions import begin_version, describe_source, exclusive_load, finish_version
from loaders.errors import CliError
from loaders.ingest.areas import boundaries, contacts, modgov
from loaders.ingest.areas import store as area_store
from service.db.types import Connection
from service.spatial.hierarchy import HIERARCHY

# Boundary and contact files are small and made by hand: a few bad rows among many are
# usual, a large share means the wrong file or the wrong --code-field.
DEFAULT_AREA_REJECT_RATE = 0.10

Work = Callable[[Connection, int, LoadReport], Awaitable[None]]


@dataclass(frozen=True)
class AreaLoadOptions:
    """What the operator allows a boundary or contacts load to do."""

    rejects_dir: Path = Path("rejects")
    max_reject_rate: float = DEFAULT_AREA_REJECT_RATE
    limits: ReplaceLimits = field(default_factory=ReplaceLimits)


async def load_boundary_file(
    url: str,
    source: boundaries.BoundarySource,
    *,
    declared: str | None,
    options: AreaLoadOptions,
    console: Console,
) -> LoadReport:
    """Replace the areas of the source's type in its set with the file's, as one version."""

    async def work(conn: Connection, version_id: int, report: LoadReport) -> None:
        await _load_boundaries(
            conn, version_id, report, source=source, declared=declared, options=options, out=console
        )

    dataset = f"boundaries:{source.area_type}:{source.set_name}"
    return await recorded_area_load(
        url, dataset, source.path, rejects_dir=options.rejects_dir, work=work, out=console
    )


async def load_contacts_file(
    url: str, path: Path, *, set_name: str, options: AreaLoadOptions, console: Console
) -> LoadReport:
    """Replace the contacts of one set with the file's, as one data version."""

    async def work(conn: Connection, version_id: int, report: LoadReport) -> None:
        rows = contacts.read_contacts(path, report)
        check_reject_rate(report, options.max_reject_rate)
        await _replace_contacts(
            conn, version_id, rows=rows, set_name=set_name, options=options, out=console
        )

    return await recorded_area_load(
        url, f"contacts:{set_name}", path, rejects_dir=options.rejects_dir, work=work, out=console
    )


async def load_modgov_contacts(
    url: str,
    answer: modgov.ModgovAnswer,
    *,
    set_name: str,
    options: AreaLoadOptions,
    console: Console,
) -> LoadReport:
    """Replace the set's contacts with the ward councillors of a Modern.Gov
    GetCouncillorsByWard answer (read from a saved file or a URL), as one data version."""
    xml, source = answer.xml, answer.source

    async def work(conn: Connection, version_id: int, report: LoadReport) -> None:
        wards = await modgov.loaded_wards(conn, set_name)
        found = list(modgov.councillors(xml))
        rows = modgov.to_contacts(found, wards, source, report)
        check_reject_rate(report, options.max_reject_rate)
        await _replace_contacts(
            conn, version_id, rows=rows, set_name=set_name, options=options, out=console
        )
        console.print(f"councillors: {len(rows):,} of {len(found):,} attached to their wards")

    return await recorded_area_load(
        url,
        f"contacts:{set_name}",
        answer.saved,
        rejects_dir=options.rejects_dir,
        work=work,
        out=console,
        kind="modgov",
    )


async def _load_boundaries(
    conn: Connection,
    version_id: int,
    report: LoadReport,
    *,
    source: boundaries.BoundarySource,
    declared: str | None,
    options: AreaLoadOptions,
    out: Console,
) -> None:
    """Read and check the file (refusing it before any area changes), then replace the
    type's areas in the set, and list the contacts this left without an area."""
    started = time.monotonic()
    prepared = boundaries.prepare(source, report)
    crs = f"{prepared.crs_name} to EPSG:27700"
    stage_line(out, started, f"read {report.read:,} features from {source.path.name} ({crs})")
    check_reject_rate(report, options.max_reject_rate)
    if not prepared and not options.limits.force:
        raise CliError(
            f"no feature of {source.path.name} could be loaded (see {report.rejects_path}); "
            f"the {source.area_type} areas were left as they were"
        )
    started = time.monotonic()
    had_area = await contacts.codes_with_area(conn)
    parts = await area_store.replace_areas(
        conn,
        source,
        prepared,
        version_id=version_id,
        declared_parent=declared,
        limits=options.limits,
    )
    stage_line(out, started, f"replaced the {source.area_type} areas of set {source.set_name!r}")
    parent, with_parent = await area_store.parent_summary(conn, source.area_type)
    out.print(f"areas: {len(prepared):,} ({parts:,} parts for point lookups)")
    out.print(f"repaired: {prepared.repaired:,} invalid geometries (made valid)")
    out.print(parent_line(source.area_type, declared, parent, with_parent, len(prepared)))
    left = [code for code in await contacts.codes_without_area(conn) if code in had_area]
    if left:
        out.print(f"contacts left without an area by this load: {len(left):,}: {_shown(left)}")


async def _replace_contacts(
    conn: Connection,
    version_id: int,
    *,
    rows: list[contacts.ContactRow],
    set_name: str,
    options: AreaLoadOptions,
    out: Console,
) -> None:
    """Replace the set's contacts, and warn of codes with no area loaded yet."""
    await contacts.replace_contacts(conn, rows, version_id, set_name, options.limits)
    missing = await contacts.codes_without_area(conn, set_name)
    if missing:
        out.print(
            f"warning: {len(missing):,} area codes have no loaded area yet: {_shown(missing)}"
        )


def _shown(codes: list[str], most: int = 5) -> str:
    return ", ".join(codes[:most]) + (", ..." if len(codes) > most else "")


async def recorded_area_load(
    url: str,
    dataset: str,
    path: Path | list[Path],
    *,
    rejects_dir: Path,
    work: Work,
    out: Console,
    kind: str | None = None,
) -> LoadReport:
    """Run a load of one file (or several) under the dataset's lock as a data version that
    ends live or failed (with the reason); its rejects file is
    <rejects_dir>/<dataset>-v<version>.csv, its kind by default the file's suffix."""
    paths = path if isinstance(path, list) else [path]
    conn = await connect_for_load(url, dataset)
    try:
        async with exclusive_load(conn, dataset):
            kind = kind or (paths[0].suffix.lstrip(".").lower() if paths else "") or "file"
            sources = [describe_source(each) for each in paths]
            version_id = await begin_version(conn, dataset=dataset, kind=kind, sources=sources)
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
