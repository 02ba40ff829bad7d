"""Input files as an operator names them (files, folders, globs, zips) and their rows, decoded
whatever their bytes: a BOM is dropped, CRLF and LF both end lines, and a line that is not UTF-8
is read as Latin-1 (and counted, so nothing is changed silently)."""

from __future__ import annotations

import csv
import glob
import itertools
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from loaders.errors import CliError

DATA_SUFFIXES = (".csv",)


@dataclass(frozen=True)
class Source:
    """One CSV to read: a plain file, or a member of a zip archive."""

    name: str
    path: Path
    member: str | None = None
    size: int = 0

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The raw bytes, closed (with their archive) when the block ends."""
        if self.member is None:
            with self.path.open("rb") as handle:
                yield handle
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
            yield handle


@dataclass
class SourceSet:
    """The CSVs to load, the files they came from, and what was skipped (reported, not hidden)."""

    sources: list[Source] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(source.size for source in self.sources)


def expand_paths(patterns: list[str]) -> list[Path]:
    """Files named directly, found by a glob, or inside a folder (sorted, so loads repeat)."""
    found: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise CliError(f"no files match {pattern!r}; check the path or quote the glob")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.extend(sorted(p for p in path.rglob("*") if p.is_file()))
            elif path.is_file():
                found.append(path)
            else:
                raise CliError(f"{match} does not exist; give a file, a folder, a glob or a zip")
    return found


def collect_sources(patterns: list[str]) -> SourceSet:
    """Every CSV in the named files, folders, globs and zips; other files are skipped and listed."""
    result = SourceSet()
    for path in expand_paths(patterns):
        if zipfile.is_zipfile(path):
            result.files.append(path)
            _add_zip_members(result, path)
        elif path.suffix.lower() in DATA_SUFFIXES:
            result.files.append(path)
            result.sources.append(Source(str(path), path, None, path.stat().st_size))
        else:
            result.skipped.append(f"{path} (not a .csv or .zip file)")
    if not result.sources:
        raise CliError(f"no CSV files found in {', '.join(patterns)}")
    return result


def _add_zip_members(result: SourceSet, path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = f"{path}:{info.filename}"
            if info.filename.lower().endswith(DATA_SUFFIXES):
                result.sources.append(Source(name, path, info.filename, info.file_size))
            else:
                result.skipped.append(f"{name} (not a CSV file)")


@dataclass
class DecodeStats:
    latin1_lines: list[int] = field(default_factory=list)
    bytes_read: int = 0


_BATCH_BYTES = 1 << 20


class _Lines:
    """A file's lines decoded a batch at a time (UTF-8, else Latin-1 line by line), kept so
    that a row read from one physical line can be passed on exactly as it was written."""

    def __init__(self, raw: IO[bytes], stats: DecodeStats) -> None:
        self.raw = raw
        self.stats = stats
        self.batch: list[str] = []
        self.first_line = 1  # the number of batch[0]

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._batches())

    def _batches(self) -> Iterator[list[str]]:
        number = 1
        while lines := self.raw.readlines(_BATCH_BYTES):
            self.stats.bytes_read += sum(map(len, lines))
            self.first_line, self.batch = number, self._decode(lines, number)
            number += len(lines)
            yield self.batch

    def _decode(self, lines: list[bytes], first: int) -> list[str]:
        try:
            text = [line.decode("utf-8") for line in lines]
        except UnicodeDecodeError:
            text = [self._decode_one(line, first + i) for i, line in enumerate(lines)]
        if first == 1 and text:
            text[0] = text[0].removeprefix("\ufeff")
        return text

    def _decode_one(self, line: bytes, number: int) -> str:
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            self.stats.latin1_lines.append(number)
            return line.decode("latin-1")

    def line(self, number: int) -> str | None:
        """Physical line ``number`` when it is in the current batch, without its ending."""
        index = number - self.first_line
        return self.batch[index].rstrip("\r\n") if 0 <= index < len(self.batch) else None


ErrorHandler = Callable[[int, str, str], None]


def read_rows(
    source: Source, stats: DecodeStats, on_bad_line: ErrorHandler
) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for every row of a CSV; a line the CSV parser cannot read goes to
    on_bad_line(line, reason, content) and reading goes on."""
    for line_no, row, _ in read_rows_with_lines(source, stats, on_bad_line):
        yield line_no, row


def read_rows_with_lines(
    source: Source, stats: DecodeStats, on_bad_line: ErrorHandler
) -> Iterator[tuple[int, list[str], str | None]]:
    """As read_rows, with each row's text as written when it is one physical line (None for a
    row whose quoted field spans lines)."""
    with source.open() as raw:
        lines = _Lines(raw, stats)
        reader = csv.reader(lines)
        previous = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                on_bad_line(reader.line_num, f"unreadable CSV: {error}", "")
                previous = reader.line_num
                continue
            number = reader.line_num
            text = lines.line(number) if number == previous + 1 else None
            previous = number
            if row:
                yield number, row, text
