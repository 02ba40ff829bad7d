"""Per-key limits a minute and a day, held by every service process together.

The allowance of each key for the current window (a UTC minute, a UTC day) lives in
PostgreSQL (``key_allowances``). A process does not ask it on every request: it leases a small
block of the allowance with one atomic statement (``sql/lease.sql``) and spends the block in
memory, so most requests cost no round trip. The database never hands out more than the limit,
so the limit is never exceeded however many processes there are; what a process leased and has
not spent when the allowance runs out is lost to the others, so up to (processes x (block-1))
requests fewer than the limit may be served. Blocks are 1/200 of the limit (at most 100), which
keeps that shortfall within 5 % for up to 10 processes. Windows are fixed and follow the
database's clock, so every process agrees on when a minute or day starts.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from service.dbtypes import Connection
from service.sqlfiles import sql
from service.tenancy.errors import LimitState

MINUTE, DAY = 60, 86_400
PERIOD_NAMES = {MINUTE: "minute", DAY: "day"}
MAX_BLOCK = 100
BLOCK_SHARE = 200  # a block is 1/BLOCK_SHARE of the limit


def block_for(limit: int) -> int:
    """How much of a limit one lease takes."""
    return max(1, min(MAX_BLOCK, limit // BLOCK_SHARE))


@dataclass
class Lease:
    """What this process holds of one key's allowance for one window."""

    window_end: float  # epoch seconds, database clock
    left: int  # leased here and not yet spent
    granted: int  # handed out to every process, as of the last lease
    exhausted: bool  # the database had nothing left to give in this window


@dataclass(frozen=True)
class Decision:
    """Whether a request may go ahead, and where the key stands (its tightest limit)."""

    allowed: bool
    state: LimitState


class Limiter:
    """Leases blocks of each key's allowances and spends them, request by request."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._offset = 0.0  # database clock minus local clock
        self._leases: dict[tuple[int, int], Lease] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def now(self) -> float:
        """The database's time, as this process reckons it."""
        return self._clock() + self._offset

    def _needing(self, key_id: int, now: float) -> list[int]:
        """The periods whose lease is missing, over, or spent (and could be topped up)."""
        needing = []
        for period in (MINUTE, DAY):
            lease = self._leases.get((key_id, period))
            spent = lease is not None and lease.left == 0 and not lease.exhausted
            if lease is None or now >= lease.window_end or spent:
                needing.append(period)
        return needing

    async def take(self, pool: asyncpg.Pool, key_id: int, limits: dict[int, int]) -> Decision:
        """Spend one request of the key's allowances (``limits``: period -> limit), leasing a
        new block first where this process has none left."""
        if self._needing(key_id, self.now()):
            async with self._locks.setdefault(key_id, asyncio.Lock()):
                needing = self._needing(key_id, self.now())  # another request may have leased
                if needing:
                    async with pool.acquire() as conn:
                        await self._lease(conn, key_id, {p: limits[p] for p in needing})
        return self._spend(key_id, limits, self.now())

    async def _lease(self, conn: Connection, key_id: int, limits: dict[int, int]) -> None:
        periods = list(limits)
        rows = await conn.fetch(
            sql(__package__, "lease"), key_id, periods,
            [block_for(limits[p]) for p in periods], [limits[p] for p in periods],
        )  # fmt: skip
        local_now = self._clock()
        for row in rows:
            self._offset = row["db_now"] - local_now
            period = row["period_s"]
            window_end = float(row["window_start"] + period)
            old = self._leases.get((key_id, period))
            carried = old.left if old is not None and old.window_end == window_end else 0
            self._leases[(key_id, period)] = Lease(
                window_end=window_end,
                left=carried + row["last_grant"],
                granted=row["granted"],
                exhausted=row["granted"] >= limits[period],
            )

    def _spend(self, key_id: int, limits: dict[int, int], now: float) -> Decision:
        leases = {period: self._leases[(key_id, period)] for period in (MINUTE, DAY)}
        for period, lease in leases.items():
            if lease.left <= 0:
                reset = max(1, math.ceil(lease.window_end - now))
                return Decision(False, LimitState(limits[period], 0, reset, PERIOD_NAMES[period]))
        for lease in leases.values():
            lease.left -= 1
        states = [
            LimitState(
                limits[period],
                max(0, limits[period] - lease.granted + lease.left),
                max(1, math.ceil(lease.window_end - now)),
                PERIOD_NAMES[period],
            )
            for period, lease in leases.items()
        ]
        return Decision(True, min(states, key=lambda state: state.remaining))
