"""``address-lookup load postcodes``: postcode points from Code-Point Open or ONSPD, built
beside the live ones and swapped in (as a full address load is), as one data version, with
every refused row in the rejects file and the same guards as every load."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from loaders.core import swap
from loaders.core.guards import ReplaceLimits, check_reject_rate, check_replacement
from loaders.core.report import LoadReport
from loaders.core.sources import DecodeStats, Source, SourceSet, collect_sources, read_rows
from loaders.errors import CliError
from loaders.ingest.areas.load import recorded_area_load
from loaders.ingest.postcode_points import (
    ONSPD,
    OnspdColumns,
    PostcodePoint,
    codepoint_point,
    file_kind,
)
from service.db.types import Connection

DATASET = "postcodes"
TABLE = "postcode_points"
_COLUMNS = ["postcode_key", "postcode", "x", "y", "quality", "source", "data_version_id"]


def _kind_of(source: Source) -> str | None:
    for _, row in read_rows(source, DecodeStats(), lambda *_: None):
        return file_kind(row)
    return None


def choose_sources(sources: SourceSet) -> dict[str, str]:
    """Each readable source's kind; others (a column headers file, say) are skipped, listed."""
    kinds = {source.name: _kind_of(source) for source in sources.sources}
    for name, kind in kinds.items():
        if kind is None:
            sources.skipped.append(f"{name} (neither Code-Point Open nor ONSPD)")
    sources.sources = [s for s in sources.sources if kinds[s.name]]
    if not sources.sources:
        raise CliError(
            "no Code-Point Open or ONSPD file found: Code-Point rows start with a postcode and "
            "have 10 columns; ONSPD files have a header with pcds, oseast1m and osnrth1m"
        )
    return {name: kind for name, kind in kinds.items() if kind}


def read_points(source: Source, kind: str, report: LoadReport) -> Iterator[PostcodePoint]:
    """Every point of one file; refused rows to the rejects file, terminated ones counted."""
    columns: OnspdColumns | None = None

    def bad_line(line: int, reason: str, content: str) -> None:
        report.reject(file=source.name, line=line, record_type=kind, reason=reason, content=content)

    for line, row in read_rows(source, DecodeStats(), bad_line):
        if kind == ONSPD and columns is None:
            columns = OnspdColumns.from_header(row)
            continue
        found = codepoint_point(row) if columns is None else columns.point(row)
        report.counts[kind].read += 1
        if found is None:
            report.counts["terminated (not loaded)"].read += 1
        elif isinstance(found, str):
            bad_line(line, found, ",".join(row))
        else:
            report.counts[kind].loaded += 1
            yield found


@dataclass(frozen=True)
class PointLoadOptions:
    """What the operator allows a postcode points load to do."""

    rejects_dir: Path = Path("rejects")
    max_reject_rate: float = 0.001
    limits: ReplaceLimits = field(default_factory=ReplaceLimits)
    swap_wait_s: float = swap.DEFAULT_SWAP_WAIT_S


def read_all(sources: SourceSet, kinds: dict[str, str], report: LoadReport) -> list[PostcodePoint]:
    """Every point of every file, one per postcode (a later file's wins)."""
    points: dict[str, PostcodePoint] = {}
    for source in sources.sources:
        for point in read_points(source, kinds[source.name], report):
            points[point.key] = point
    return list(points.values())


async def replace_points(
    conn: Connection, points: list[PostcodePoint], version_id: int, options: PointLoadOptions
) -> None:
    """Build the new points beside the live ones, check the guards, then swap them in."""
    before = int(await conn.fetchval(f"SELECT count(*) FROM {TABLE}"))
    check_replacement("postcode points", before, len(points), options.limits)
    await swap.create_next(conn, TABLE)
    try:
        records = [(p.key, p.display, p.x, p.y, p.quality, p.source, version_id) for p in points]
        await conn.copy_records_to_table(f"{TABLE}{swap.NEXT}", records=records, columns=_COLUMNS)
        await swap.index_next(conn, TABLE)
        await swap.swap_in(conn, [TABLE], wait_s=options.swap_wait_s)
    except BaseException:
        await swap.drop_next(conn, [TABLE])
        raise


async def load_postcode_points(
    url: str, patterns: list[str], *, options: PointLoadOptions, console: Console
) -> LoadReport:
    """Replace every postcode point with the files', as one data version."""
    sources = collect_sources(patterns)
    kinds = choose_sources(sources)
    for skipped in sources.skipped:
        console.print(f"skipped {skipped}")

    async def work(conn: Connection, version_id: int, report: LoadReport) -> None:
        points = read_all(sources, kinds, report)
        check_reject_rate(report, options.max_reject_rate)
        await replace_points(conn, points, version_id, options)
        console.print(f"postcode points: {len(points):,}")

    return await recorded_area_load(
        url,
        DATASET,
        sources.files,
        rejects_dir=options.rejects_dir,
        work=work,
        out=console,
        kind="+".join(sorted(set(kinds.values()))),
    )
