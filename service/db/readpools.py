"""The pools a service process reads through: the primary's (DATABASE_URL, which also takes
every write) and one per streaming replica (DATABASE_READ_URLS). A watch checks every replica
every few seconds and keeps the rotation (``service.db.replicas``) current; each request reads
from the replica whose turn it is, or from the primary when none is in rotation."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from service.db.outages import GuardedConnections, OutageLog
from service.db.pool import create_pool, describe
from service.db.replicas import (
    Observation,
    ReplicaState,
    RotationPolicy,
    RoundRobin,
    failed_in_use,
    judge,
)
from service.db.types import Connection
from service.settings import DatabaseSettings
from service.sqlfiles import sql

log = logging.getLogger("address_lookup.database")

PRIMARY = "primary"


@dataclass(frozen=True)
class ReadSource:
    """One pool reads can come from; ``replica`` is its index among the replicas (None: the
    primary)."""

    name: str
    pool: asyncpg.Pool
    acquire_timeout_s: float
    outages: OutageLog
    replica: int | None = None


@dataclass(frozen=True)
class PoolStatus:
    """A pool as /readyz and the metrics show it."""

    name: str
    in_rotation: bool
    reason: str
    data_version: int | None
    replay_lag_s: float | None
    size: int
    idle: int


@dataclass
class ReadPools:
    """The primary's pool and the replicas' pools, with the rotation over the replicas. Also
    a ``Connections`` itself: each borrowing reads from whichever pool's turn it is."""

    primary: ReadSource
    replicas: list[ReadSource]
    policy: RotationPolicy
    check_s: float = 2.0
    states: list[ReplicaState] = field(default_factory=list)
    primary_version: int | None = None
    _turns: RoundRobin = field(default_factory=RoundRobin)

    def __post_init__(self) -> None:
        self.states = [ReplicaState(source.name) for source in self.replicas]

    def choose(self, *, primary_only: bool = False) -> ReadSource:
        """Where the next request reads: the next replica in rotation, else the primary."""
        index = None if primary_only else self._turns.pick(self.states)
        return self.primary if index is None else self.replicas[index]

    def failed(self, source: ReadSource, error: str) -> None:
        """A replica failed a request: out of rotation until a check finds it well."""
        if source.replica is not None and self.states[source.replica].in_rotation:
            self.states[source.replica] = failed_in_use(self.states[source.replica], error)
            log.warning("read replica %s left rotation: %s", source.name, error)

    @asynccontextmanager
    async def _borrow(self) -> AsyncIterator[Connection]:
        source = self.choose()
        guarded = GuardedConnections(source.pool, source.acquire_timeout_s, source.outages)
        async with guarded.connection() as conn:
            yield conn

    def connection(self) -> AbstractAsyncContextManager[Connection]:
        return self._borrow()

    async def check(self) -> None:
        """Check the primary's data version, then every replica, and update the rotation."""
        seen = await _observe(self.primary.pool, self.check_s)
        if seen.reachable:
            self.primary_version = seen.data_version
        for index, source in enumerate(self.replicas):
            self._update(index, await _observe(source.pool, self.check_s))

    def _update(self, index: int, seen: Observation) -> None:
        before = self.states[index]
        after = judge(
            before,
            seen,
            primary_version=self.primary_version,
            now=time.monotonic(),
            policy=self.policy,
        )
        self.states[index] = after
        if after.in_rotation != before.in_rotation:
            verb = "joined" if after.in_rotation else "left"
            log.warning("read replica %s %s rotation: %s", before.name, verb, after.reason)

    async def watch(self) -> None:
        """Check every ``check_s`` seconds for as long as the service runs."""
        while True:
            await asyncio.sleep(self.check_s)
            await self.check()

    def statuses(self) -> list[PoolStatus]:
        """Every pool's state: the primary first, then the replicas."""
        primary = PoolStatus(
            PRIMARY,
            not any(state.in_rotation for state in self.states),
            "writes; reads while no replica is in rotation" if self.replicas else "all reads",
            self.primary_version,
            0.0,
            self.primary.pool.get_size(),
            self.primary.pool.get_idle_size(),
        )
        return [primary, *map(_status, self.replicas, self.states)]

    async def close(self) -> None:
        for source in self.replicas:
            await source.pool.close()


def _status(source: ReadSource, state: ReplicaState) -> PoolStatus:
    return PoolStatus(
        source.name,
        state.in_rotation,
        state.reason,
        state.data_version,
        state.replay_lag_s,
        source.pool.get_size(),
        source.pool.get_idle_size(),
    )


async def _observe(pool: asyncpg.Pool, timeout_s: float) -> Observation:
    """What a pool's server says of its data version and replay lag, or why it cannot."""
    try:
        async with asyncio.timeout(timeout_s):
            async with pool.acquire() as conn:
                row: Any = await conn.fetchrow(sql("service.db", "read_pool_state"))
    except Exception as error:  # whatever stops the check takes the replica out
        return Observation(error=describe(error))
    return Observation(row["data_version"], row["received"], row["replayed"])


async def open_read_pools(primary: asyncpg.Pool, settings: DatabaseSettings) -> ReadPools:
    """The read pools for these settings, checked once (so reads go to the replicas that
    answer from the first request); a replica that is down now joins when it is up."""
    replicas = [
        ReadSource(
            f"replica{number}",
            await create_pool(url, settings, min_size=0),
            settings.acquire_timeout_s,
            OutageLog(),
            number - 1,
        )
        for number, url in enumerate(settings.read_url_list, start=1)
    ]
    reads = ReadPools(
        ReadSource(PRIMARY, primary, settings.acquire_timeout_s, OutageLog()),
        replicas,
        RotationPolicy(settings.replica_max_lag_s, settings.replica_max_behind_s),
        settings.replica_check_s,
    )
    await reads.check()
    return reads


@asynccontextmanager
async def watching(reads: ReadPools) -> AsyncIterator[None]:
    """Keep the rotation current while the block runs (nothing to watch without replicas)."""
    task = asyncio.create_task(reads.watch()) if reads.replicas else None
    try:
        yield
    finally:
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await reads.close()
