"""Streaming input rows into an unlogged staging table with one COPY: Python only decodes,
parses and checks each row's shape (record type, column count); every typed check then runs
set-based in PostgreSQL. Each staged row keeps its file number and line number, so any later
rejection can still say exactly where the row came from."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

from loaders.core.report import LoadProgress, LoadReport
from loaders.core.sources import DecodeStats, Source, read_rows_with_lines
from service.db.types import Connection

_CHUNK_BYTES = 1 << 20

# A row check gets (file number, fields) and returns (record type label, problem, fields to
# stage): a problem rejects the row; no problem and no fields means the row was consumed
# without staging (supply header and trailer records).
RowCheck = Callable[[int, list[str]], tuple[str, str | None, list[str] | None]]


@dataclass
class StageStats:
    """What reading the input found, beyond the rows themselves."""

    rows_by_source: list[int] = field(default_factory=list)
    latin1_lines: dict[str, int] = field(default_factory=dict)


def stage_column_names(width: int) -> list[str]:
    return ["file_no", "line_no", *(f"c{i}" for i in range(1, width + 1))]


async def create_stage_table(
    conn: Connection, table: str, width: int, partitions: list[str] | None = None
) -> None:
    """An unlogged table of text columns c1..cN, plus where each row came from; with
    partitions, split by the value of c1 (one table per record type) so that each type's
    checks read only its own rows."""
    columns = ", ".join(f"c{i} text" for i in range(1, width + 1))
    partitioning = " PARTITION BY LIST (c1)" if partitions else ""
    await conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    await conn.execute(
        f"CREATE UNLOGGED TABLE {table} (file_no integer, line_no integer, {columns})"
        + partitioning
    )
    for value in partitions or []:
        await conn.execute(
            f"CREATE UNLOGGED TABLE {table}_{value} PARTITION OF {table} "
            f"FOR VALUES IN ('{int(value)}')"
        )
    await conn.execute(f"COMMENT ON TABLE {table} IS '{STAGE_COMMENT}'")


# Staging tables are marked so that the end of a load finds them, whichever loader made them.
STAGE_COMMENT = "address-lookup staging: dropped when its load has ended"
_STAGE_TABLES = """
SELECT format('%I', c.relname) AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND obj_description(c.oid, 'pg_class') = $1
"""


async def drop_stage_tables(conn: Connection) -> None:
    """Drop the staging tables once a load has succeeded: nothing reads them afterwards (the
    next load stages afresh), and they hold every input record as text, about 0.67 GB a
    million addresses for Premium, 29 % of the database (benchmarks/RESULTS.md). Unlogged, they
    never reached a replica anyway."""
    for row in await conn.fetch(_STAGE_TABLES, STAGE_COMMENT):
        await conn.execute(f"DROP TABLE IF EXISTS {row['name']} CASCADE")


class _StageStream:
    """Turns sources into COPY chunks, reporting rejects and progress as it goes.

    A row that is one physical line and passes its check unchanged is passed on as written
    (cheaper than writing it out again); the COPY reads quoted empty fields as NULL too."""

    def __init__(
        self,
        sources: list[Source],
        check: RowCheck,
        report: LoadReport,
        progress: LoadProgress,
        width: int,
    ) -> None:
        self.sources = sources
        self.check = check
        self.report = report
        self.progress = progress
        self.width = width
        self.stats = StageStats()
        self._pieces: list[str] = []
        self._size = 0
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._padding = ["," * (width - n) for n in range(width + 1)]
        self._bytes_before = 0

    async def chunks(self) -> AsyncIterator[bytes]:
        for file_no, source in enumerate(self.sources):
            for chunk in self._source_chunks(file_no, source):
                yield chunk
        if self._pieces:
            yield self._take()

    def _source_chunks(self, file_no: int, source: Source) -> Iterator[bytes]:
        """A source's rows as COPY chunks of about a megabyte (memory stays bounded)."""
        decode = DecodeStats()
        counts: Counter[tuple[str, str]] = Counter()
        rows = 0

        def bad_line(line: int, reason: str, content: str) -> None:
            self.report.reject(
                file=source.name,
                line=line,
                record_type="unreadable",
                reason=reason,
                content=content,
            )

        for line_no, row, text in read_rows_with_lines(source, decode, bad_line):
            rows += 1
            label, problem, fields = self.check(file_no, row)
            if problem is not None:
                counts[label, "rejected"] += 1
                self.report.reject(
                    file=source.name,
                    line=line_no,
                    record_type=label,
                    reason=problem,
                    content=",".join(row),
                )
            elif fields is None:
                counts[label, "consumed"] += 1
            else:
                counts[label, "staged"] += 1
                self._add(file_no, line_no, fields, text if fields is row else None)
                if self._size >= _CHUNK_BYTES:
                    self.progress.advance(0, self._bytes_before + decode.bytes_read)
                    yield self._take()
        self._finish_source(source, decode, counts, rows)

    def _add(self, file_no: int, line_no: int, fields: list[str], text: str | None) -> None:
        if text is None or len(fields) > self.width:
            self._writer.writerow((file_no, line_no, *fields, *[""] * (self.width - len(fields))))
            piece = self._buffer.getvalue()
            self._buffer.seek(0)
            self._buffer.truncate()
        else:
            piece = f"{file_no},{line_no},{text}{self._padding[len(fields)]}\n"
        self._pieces.append(piece)
        self._size += len(piece)

    def _finish_source(
        self, source: Source, decode: DecodeStats, counts: Counter[tuple[str, str]], rows: int
    ) -> None:
        """Fold one source's tallies into the report and the stage statistics."""
        for (label, outcome), count in counts.items():
            tally = self.report.counts[label]
            tally.read += count
            tally.loaded += count if outcome == "consumed" else 0
        self.progress.rows += rows
        self._bytes_before += decode.bytes_read
        self.stats.rows_by_source.append(rows)
        if decode.latin1_lines:
            self.stats.latin1_lines[source.name] = len(decode.latin1_lines)

    def _take(self) -> bytes:
        data = "".join(self._pieces).encode("utf-8")
        self._pieces = []
        self._size = 0
        return data


async def stage_sources(
    conn: Connection,
    *,
    table: str,
    width: int,
    sources: list[Source],
    check: RowCheck,
    report: LoadReport,
    progress: LoadProgress,
    partitions: list[str] | None = None,
) -> StageStats:
    """COPY every acceptable row of the sources into the staging table; returns what was seen."""
    await create_stage_table(conn, table, width, partitions)
    stream = _StageStream(sources, check, report, progress, width)
    columns = stage_column_names(width)
    await conn.copy_to_table(
        table, source=stream.chunks(), columns=columns, format="csv", force_null=columns[2:]
    )
    return stream.stats
