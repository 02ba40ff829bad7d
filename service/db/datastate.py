"""What data the service is serving, read from ``data_versions`` at most every few seconds per
process: the token that answers' ETags are keyed to (it changes whenever a load takes effect),
the live address data version and its age, and how many loads ended each way (for metrics)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from service.db.connections import Connections
from service.errors import ApiError
from service.sqlfiles import sql

REFRESH_S = 2.0


@dataclass(frozen=True)
class DataState:
    token: int  # the newest load that took effect (0: none yet)
    address_version: int | None
    address_age_s: float | None
    outcomes: dict[str, int]  # loads by status: live, replaced, failed, loading


@dataclass
class DataStateWatch:
    """The latest DataState, refreshed when older than REFRESH_S by whichever request asks
    first (one query at a time); None while the database cannot be read."""

    connections: Connections
    refresh_s: float = REFRESH_S
    _state: DataState | None = None
    _read_at: float = float("-inf")
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def current(self) -> DataState | None:
        if time.monotonic() - self._read_at < self.refresh_s:
            return self._state
        async with self._lock:
            if time.monotonic() - self._read_at >= self.refresh_s:
                self._state = await self._read()
                self._read_at = time.monotonic()
        return self._state

    async def _read(self) -> DataState | None:
        try:
            async with self.connections.connection() as conn:
                row: Any = await conn.fetchrow(sql("service.db", "data_state"))
        except ApiError:  # unreachable: answers carry no ETag until it is back
            return None
        return DataState(
            row["token"], row["address_version"], row["address_age_s"], dict(row["outcomes"])
        )
