"""Steady traffic against a live service from a few threads, for drills and benchmarks that
change something underneath (stop a replica, reload the data) and count what failed."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx


@dataclass(frozen=True)
class Outcome:
    path: str
    status: int | None  # None: no answer (refused, reset, timed out)
    seconds: float
    error: str | None = None

    @property
    def failed(self) -> bool:
        """A request a caller would see fail: no answer, or a 5xx."""
        return self.status is None or self.status >= 500


@dataclass
class Traffic:
    """What the threads saw, in the order they saw it."""

    outcomes: list[Outcome] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)

    @property
    def failures(self) -> list[Outcome]:
        with self._lock:
            return [outcome for outcome in self.outcomes if outcome.failed]

    def count(self) -> int:
        with self._lock:
            return len(self.outcomes)


def _send(client: httpx.Client, path: str) -> Outcome:
    started = time.perf_counter()
    try:
        status: int | None = client.get(path).status_code
        error = None
    except httpx.HTTPError as problem:
        status, error = None, f"{type(problem).__name__}: {problem}"
    return Outcome(path, status, time.perf_counter() - started, error)


@contextmanager
def traffic(base: str, paths: list[str], *, threads: int = 4) -> Iterator[Traffic]:
    """Send GETs of ``paths`` (in turn, from ``threads`` threads, each as soon as the last
    answered) until the block ends."""
    seen, stop = Traffic(), threading.Event()

    def run(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=15) as client:
            for path in itertools.islice(itertools.cycle(paths), offset, None):
                if stop.is_set():
                    return
                seen.record(_send(client, path))

    workers = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    try:
        yield seen
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
