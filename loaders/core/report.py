"""What an operator sees of a load: a progress bar (or plain periodic lines when not on a
terminal), a rejects file with every refused row, and a final summary table."""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

REJECT_COLUMNS = ("file", "line", "record_type", "reason", "content")
_PLAIN_INTERVAL_S = 5.0


@dataclass
class Counts:
    read: int = 0
    loaded: int = 0
    rejected: int = 0


class LoadReport:
    """Counts per record type and the rejects file; nothing refused goes unrecorded."""

    def __init__(self, rejects_path: Path) -> None:
        self.rejects_path = rejects_path
        self.counts: dict[str, Counts] = defaultdict(Counts)
        rejects_path.parent.mkdir(parents=True, exist_ok=True)
        self._rejects_file = rejects_path.open("w", newline="", encoding="utf-8")
        self._rejects = csv.writer(self._rejects_file)
        self._rejects.writerow(REJECT_COLUMNS)

    def reject(self, *, file: str, line: int, record_type: str, reason: str, content: str) -> None:
        """Record one refused row: where it was, what it was, and why."""
        self.counts[record_type].rejected += 1
        self._rejects.writerow((file, line, record_type, reason, content[:2000]))

    @property
    def read(self) -> int:
        return sum(c.read for c in self.counts.values())

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.counts.values())

    @property
    def loaded(self) -> int:
        return sum(c.loaded for c in self.counts.values())

    def reject_rate(self) -> float:
        return self.rejected / self.read if self.read else 0.0

    def as_json(self) -> dict[str, Any]:
        """The counts as stored with the data version."""
        return {kind: asdict(counts) for kind, counts in sorted(self.counts.items())}

    def summary_table(self, title: str) -> Table:
        table = Table(title=title)
        for heading in ("record type", "read", "loaded", "rejected"):
            table.add_column(heading, justify="left" if heading == "record type" else "right")
        for kind, counts in sorted(self.counts.items()):
            if counts.read == counts.loaded == counts.rejected == 0:
                continue
            table.add_row(kind, f"{counts.read:,}", f"{counts.loaded:,}", f"{counts.rejected:,}")
        table.add_row("total", f"{self.read:,}", f"{self.loaded:,}", f"{self.rejected:,}")
        return table

    def close(self) -> None:
        self._rejects_file.close()

    def __enter__(self) -> LoadReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class LoadProgress:
    """Progress through the input bytes with rows/s and ETA; plain lines when not a terminal."""

    def __init__(self, console: Console, description: str, total_bytes: int) -> None:
        self.console = console
        self.description = description
        self.total_bytes = max(total_bytes, 1)
        self.rows = 0
        self.bytes_done = 0
        self.started = time.monotonic()
        self._last_line = self.started
        self._bar: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> LoadProgress:
        if self.console.is_terminal:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f} rows/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
            )
            self._bar.start()
            self._task = self._bar.add_task(
                self.description, total=self.total_bytes, rows=0, rate=0.0
            )
        return self

    def advance(self, rows: int, bytes_done: int) -> None:
        """Add rows read and set how far through the input bytes we are."""
        self.rows += rows
        self.bytes_done = bytes_done
        now = time.monotonic()
        if self._bar is not None:
            self._bar.update(self._task, completed=bytes_done, rows=self.rows, rate=self.rate(now))
        elif now - self._last_line >= _PLAIN_INTERVAL_S:
            self._last_line = now
            self.console.print(self.plain_line(now))

    def rate(self, now: float) -> float:
        return self.rows / max(now - self.started, 1e-6)

    def plain_line(self, now: float) -> str:
        share = min(self.bytes_done / self.total_bytes, 1.0)
        elapsed = now - self.started
        eta = elapsed * (1 - share) / share if share > 0 else 0.0
        return (
            f"{self.description}: {self.rows:,} rows ({share:.0%}), "
            f"{self.rate(now):,.0f} rows/s, ETA {eta:.0f}s"
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.advance(0, self.total_bytes)
        if self._bar is not None:
            self._bar.stop()
        elif exc_type is None:
            self.console.print(self.plain_line(time.monotonic()))


def stage_line(console: Console, started: float, message: str) -> None:
    """One line per load stage, with the seconds it took."""
    console.print(f"{message} ({time.monotonic() - started:.1f}s)")
