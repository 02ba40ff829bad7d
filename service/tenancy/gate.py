"""The gate every keyed request passes: who is calling, may they call from where they are,
are they within their limits; and the background work that keeps each process current
(reloading keys) and records usage (flushing counts)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from service.db.outages import is_outage
from service.db.pool import describe
from service.settings import TenancySettings
from service.tenancy import refusals
from service.tenancy.cache import KeyCache, KeyRecord
from service.tenancy.caller import Caller
from service.tenancy.errors import KeyRefused, LimitState
from service.tenancy.keys import parse_key
from service.tenancy.limits import DAY, MINUTE, Limiter
from service.tenancy.origins import BadOrigin, checked_origin
from service.tenancy.usage import UsageCounter, family_of

log = logging.getLogger("address_lookup.tenancy")


@dataclass(frozen=True)
class GateConfig:
    """How the gate behaves: whether keys are required, which origins CORS allows without a
    key (only when they are not), and how often keys are reloaded and usage written."""

    require_keys: bool = True
    open_origins: frozenset[str] = frozenset()
    any_origin: bool = False
    refresh_s: float = 5.0
    flush_s: float = 10.0

    @staticmethod
    def parse_origins(text: str) -> tuple[frozenset[str], bool]:
        """ADDRESS_LOOKUP_CORS_ORIGINS: comma-separated origins, or ``*`` for any."""
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if "*" in parts:
            return frozenset(), True
        try:
            return frozenset(checked_origin(part) for part in parts), False
        except BadOrigin as error:
            raise ValueError(f"ADDRESS_LOOKUP_CORS_ORIGINS: {error}") from None


def gate_config(settings: TenancySettings) -> GateConfig:
    """The gate's configuration from the service's settings."""
    origins, any_origin = GateConfig.parse_origins(settings.cors_origins)
    return GateConfig(
        require_keys=settings.require_keys,
        open_origins=origins,
        any_origin=any_origin,
        refresh_s=settings.key_refresh_s,
        flush_s=settings.usage_flush_s,
    )


@dataclass(frozen=True)
class Admission:
    """A request let through: its caller (None when keys are optional and none was sent),
    its key's id for usage, and where the key stands against its limits."""

    caller: Caller | None
    key_id: int | None
    limit: LimitState | None


NO_KEY = Admission(None, None, None)


class Gate:
    """One per service process, built in the app's lifespan."""

    def __init__(self, pool: asyncpg.Pool, config: GateConfig) -> None:
        self.pool = pool
        self.config = config
        self.cache = KeyCache()
        self.limiter = Limiter()
        self.usage = UsageCounter()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Load the keys, then keep them current and write usage in the background."""
        await self.reload()
        self._tasks = [
            asyncio.create_task(_every(self.config.refresh_s, self.reload, "reloading keys")),
            asyncio.create_task(_every(self.config.flush_s, self.flush, "writing usage")),
        ]

    async def stop(self) -> None:
        """Stop the background work and write the usage counted since the last flush."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.limiter.close()
        try:
            await self.flush()
        except Exception:  # the database went first: say what is lost, finish shutting down
            log.exception("tenancy: usage not written at shutdown: %d counts lost", len(self.usage))

    async def reload(self) -> None:
        async with self.pool.acquire() as conn:
            await self.cache.reload(conn)

    async def flush(self) -> None:
        if len(self.usage):
            async with self.pool.acquire() as conn:
                await self.usage.flush(conn)

    def allows_origin(self, origin: str) -> bool:
        """Whether CORS lets pages at this (canonical) origin read answers."""
        if origin in self.cache.browser_origins:
            return True
        return not self.config.require_keys and (
            self.config.any_origin or origin in self.config.open_origins
        )

    async def admit(self, sent: str | None, origin: str | None, referer: str | None) -> Admission:
        """Let a request through, or raise KeyRefused saying why not. With keys not required,
        a key that is not valid here is ignored (an OS Places client always sends one); a valid
        key still names the caller, counts and is limited."""
        if sent is None:
            if self.config.require_keys:
                raise refusals.key_required()
            return NO_KEY
        try:
            record = await self._known_key(sent)
            refusals.check_origin(record, origin, referer)
        except KeyRefused:
            if self.config.require_keys:
                raise
            return NO_KEY
        decision = await self.limiter.take(
            self.pool, record.id, {MINUTE: record.per_minute, DAY: record.per_day}
        )
        if not decision.allowed:
            raise refusals.rate_limited(record, decision.state)
        return Admission(record.caller, record.id, decision.state)

    async def _known_key(self, sent: str) -> KeyRecord:
        record = self.cache.verified(sent) or await self._check_key(sent)
        if record.revoked(time.time()):
            raise refusals.key_revoked(record)
        return record

    async def _check_key(self, sent: str) -> KeyRecord:
        presented = parse_key(sent)
        if presented is None:
            raise refusals.key_invalid()
        record = self.cache.get(presented.public_id)
        if record is None:
            async with self.pool.acquire() as conn:
                record = await self.cache.find_new(conn, presented.public_id)
        if record is None or not presented.matches(record.secret_hash):
            raise refusals.key_invalid()
        self.cache.remember(sent, record)
        return record

    def count(self, key_id: int, route: str, status: int) -> None:
        """Count an answered request in its key's usage (``route``: its template, or its path
        when it was not routed)."""
        self.usage.add(key_id, family_of(route), status, time.time())


async def _every(seconds: float, job: Callable[[], Awaitable[None]], what: str) -> None:
    """Run ``job`` every ``seconds`` until cancelled; a failure is logged and retried."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await job()
        except Exception as error:  # keep the loop alive whatever failed: the next turn may
            # succeed. The database unreachable is an outage, not a bug: a line, no traceback
            # (service.db.outages logs the outage itself once).
            outage = is_outage(error)
            log.warning(
                "tenancy: %s failed (%s); trying again in %.0f s",
                what,
                describe(error) if outage else type(error).__name__,
                seconds,
                exc_info=not outage,
            )
