"""Output files: plain or each inside its own zip, byte-identical from run to run."""

from __future__ import annotations

import hashlib
import io
import zipfile
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TextIO

WRITE_BUFFER = 1 << 20


class TextOutput:
    """A text file being written, plain or as the only member of a zip with a fixed date."""

    def __init__(self, path: Path, *, zipped: bool, stamp: date) -> None:
        self.path = path.with_name(path.name + ".zip") if zipped else path
        self._open = ExitStack()
        if zipped:
            archive = self._open.enter_context(zipfile.ZipFile(self.path, "w"))
            member = zipfile.ZipInfo(path.name, date_time=(*stamp.timetuple()[:3], 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            binary = self._open.enter_context(archive.open(member, "w", force_zip64=True))
            self.stream: TextIO = self._open.enter_context(
                io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
            )
        else:
            self.stream = self._open.enter_context(
                path.open("w", encoding="utf-8", newline="\n", buffering=WRITE_BUFFER)
            )

    def write_lines(self, lines: list[str]) -> None:
        """Write lines, each ended with a newline."""
        if lines:
            self.stream.write("\n".join(lines))
            self.stream.write("\n")

    def close(self) -> None:
        """Finish the file (and its zip)."""
        self._open.close()


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(WRITE_BUFFER), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_file(path: Path, out_dir: Path) -> dict[str, object]:
    """A manifest entry for a written file: name relative to the output folder, size, hash."""
    return {
        "name": path.relative_to(out_dir).as_posix(),
        "bytes": path.stat().st_size,
        "sha256": sha256_of(path),
    }
