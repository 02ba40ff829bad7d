"""A lean HTTP/1.1 keep-alive client on asyncio streams: it spends far less CPU per request
than a general client, so on a small shared machine the server, not the client, is measured."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class Timings:
    """Server-side durations (the Server-Timing header) and client-side round trips, in ms."""

    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    failures: int = 0

    def extend(self, other: Timings) -> None:
        self.server_ms += other.server_ms
        self.client_ms += other.client_ms
        self.failures += other.failures


class KeepAliveConnection:
    """One persistent connection sending GETs one after another."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> KeepAliveConnection:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._writer is not None:
            self._writer.close()

    async def get(self, path: str, timings: Timings) -> None:
        """Send one GET and record its timings (non-200 answers count as failures)."""
        assert self._reader is not None and self._writer is not None
        started = time.perf_counter()
        self._writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self._reader.readuntil(b"\r\n\r\n")
        status, headers = parse_head(head)
        await self._reader.readexactly(int(headers.get("content-length", "0")))
        timings.client_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            timings.failures += 1
            return
        timings.server_ms.append(float(headers["server-timing"].split("dur=")[1]))


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """The status code and lower-cased headers of a response head."""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def sequential(host: str, port: int, paths: list[str]) -> Timings:
    """Every path in turn on one connection: latency with nothing else running."""
    timings = Timings()
    async with KeepAliveConnection(host, port) as connection:
        for path in paths:
            await connection.get(path, timings)
    return timings


async def saturate(
    host: str, port: int, paths: list[str], concurrency: int, seconds: float
) -> tuple[Timings, float]:
    """``concurrency`` connections sending requests back to back for ``seconds``; returns the
    timings and the elapsed wall time."""
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()

    async def worker(offset: int) -> Timings:
        timings = Timings()
        async with KeepAliveConnection(host, port) as connection:
            index = offset
            while time.perf_counter() < deadline:
                await connection.get(paths[index % len(paths)], timings)
                index += concurrency
        return timings

    results = await asyncio.gather(*(worker(offset) for offset in range(concurrency)))
    total = Timings()
    for result in results:
        total.extend(result)
    return total, time.perf_counter() - started
