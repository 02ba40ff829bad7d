"""Per-key limits a minute and a day, held by every service process together.

The allowance of each key for the current window (a UTC minute, a UTC day) lives in
PostgreSQL (``key_allowances``). A process does not ask it on every request: it leases a small
block of the allowance with one atomic statement (``sql/lease.sql``) and spends the block in
memory, so most requests cost no round trip; a block running low is topped up in the
background, so a request seldom waits for one. The database never hands out more than the
limit, so the limit is never exceeded however many processes there are. What a process holds
unspent when the allowance runs out (at most a block and a quarter) is lost to the others, so
up to that many requests a process fewer than the limit may be served: blocks are 1/250 of
the limit (at most 1,000), which keeps that within 5 % for up to 10 processes on limits of a few
hundred and more; smaller limits lease one request at a time (a limit of 60 over two processes
serves at least 58). Windows are fixed and follow the database's clock, so every process
agrees on when a minute or day starts.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from service.db.types import Connection
from service.sqlfiles import sql
from service.tenancy.errors import LimitState

log = logging.getLogger("address_lookup.tenancy")
MINUTE, DAY = 60, 86_400
PERIOD_NAMES = {MINUTE: "minute", DAY: "day"}
MAX_BLOCK = 1000
LOW_WATER = 0.25  # top a lease up in the background when a quarter of a block is left
BLOCK_SHARE = 250  # a block is 1/BLOCK_SHARE of the limit


def block_for(limit: int) -> int:
    """How much of a limit one lease takes."""
    return max(1, min(MAX_BLOCK, limit // BLOCK_SHARE))


@dataclass
class Lease:
    """What this process holds of one key's allowance for one window."""

    block: int  # what one lease asks for
    window_end: float  # epoch seconds, database clock
    left: int  # leased here and not yet spent
    granted: int  # handed out to every process, as of the last lease
    exhausted: bool  # the database had nothing left to give in this window

    def usable(self, now: float) -> bool:
        """Current, and either holding some to spend or known to have nothing more coming."""
        return now < self.window_end and (self.left > 0 or self.exhausted)

    def low(self, low_water: float) -> bool:
        """Down to ``low_water`` of a block (0: spent), while the database may have more."""
        return not self.exhausted and self.left <= self.block * low_water


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
        self._topping: dict[int, asyncio.Task[None]] = {}  # keys being topped up

    def now(self) -> float:
        """The database's time, as this process reckons it."""
        return self._clock() + self._offset

    def _needing(self, key_id: int, now: float, low_water: float = 0) -> list[int]:
        """The periods whose lease is missing, over, or down to ``low_water`` of a block
        (0: spent) while the database may still have more to give."""
        needing = []
        for period in (MINUTE, DAY):
            lease = self._leases.get((key_id, period))
            if lease is None or now >= lease.window_end or lease.low(low_water):
                needing.append(period)
        return needing

    async def take(self, pool: asyncpg.Pool, key_id: int, limits: dict[int, int]) -> Decision:
        """Spend one request of the key's allowances (``limits``: period -> limit). A request
        waits for a lease only when this process holds nothing to spend; a lease running low
        is topped up in the background, so that is rare."""
        now = self.now()
        minute, day = self._leases.get((key_id, MINUTE)), self._leases.get((key_id, DAY))
        if not (minute and day and minute.usable(now) and day.usable(now)):
            await self._refill(pool, key_id, limits, 0)
            now = self.now()
        decision = self._spend(key_id, limits, now)
        if key_id not in self._topping and self._needing(key_id, now, LOW_WATER):
            task = asyncio.create_task(self._top_up(pool, key_id, limits))
            self._topping[key_id] = task
            task.add_done_callback(lambda _: self._topping.pop(key_id, None))
        return decision

    async def close(self) -> None:
        """Wait for the top-ups under way (before the pool they use closes)."""
        await asyncio.gather(*self._topping.values(), return_exceptions=True)

    async def _refill(
        self, pool: asyncpg.Pool, key_id: int, limits: dict[int, int], low_water: float
    ) -> None:
        async with self._locks.setdefault(key_id, asyncio.Lock()):
            needing = self._needing(key_id, self.now(), low_water)  # another may have leased
            if needing:
                async with pool.acquire() as conn:
                    await self._lease(conn, key_id, {p: limits[p] for p in needing})

    async def _top_up(self, pool: asyncpg.Pool, key_id: int, limits: dict[int, int]) -> None:
        try:
            await self._refill(pool, key_id, limits, LOW_WATER)
        except Exception:  # a request that finds nothing left will lease (and fail) itself
            log.warning("tenancy: topping up a key's allowance failed", exc_info=True)

    async def _lease(self, conn: Connection, key_id: int, limits: dict[int, int]) -> None:
        periods = list(limits)
        rows = await conn.fetch(
            sql(__package__, "lease"),
            key_id,
            periods,
            [block_for(limits[p]) for p in periods],
            [limits[p] for p in periods],
        )
        local_now = self._clock()
        for row in rows:
            self._offset = row["db_now"] - local_now
            period = row["period_s"]
            window_end = float(row["window_start"] + period)
            old = self._leases.get((key_id, period))
            carried = old.left if old is not None and old.window_end == window_end else 0
            self._leases[(key_id, period)] = Lease(
                block=block_for(limits[period]),
                window_end=window_end,
                left=carried + row["last_grant"],
                granted=row["granted"],
                exhausted=row["granted"] >= limits[period],
            )

    def _spend(self, key_id: int, limits: dict[int, int], now: float) -> Decision:
        minute, day = self._leases[(key_id, MINUTE)], self._leases[(key_id, DAY)]
        for period, lease in ((MINUTE, minute), (DAY, day)):
            if lease.left <= 0:
                reset = max(1, math.ceil(lease.window_end - now))
                return Decision(False, LimitState(limits[period], 0, reset, PERIOD_NAMES[period]))
        minute.left -= 1
        day.left -= 1
        # what is left to every process, as far as this one knows: the tighter limit is shown
        minute_left = limits[MINUTE] - minute.granted + minute.left
        day_left = limits[DAY] - day.granted + day.left
        period, lease, left = (
            (MINUTE, minute, minute_left) if minute_left <= day_left else (DAY, day, day_left)
        )
        reset = max(1, math.ceil(lease.window_end - now))
        return Decision(True, LimitState(limits[period], max(0, left), reset, PERIOD_NAMES[period]))
