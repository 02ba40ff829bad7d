"""Each service process keeps every key in memory and reloads them all every few seconds, so
checking a key costs no database round trip and a change (a new, revoked or rotated key)
reaches every process within one reload interval. A key not held is looked up on its own (a
key just issued then works at once), within a small budget of lookups a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.db.types import Connection
from service.sqlfiles import sql
from service.tenancy.caller import Caller
from service.tenancy.keys import KeyKind

MISS_LOOKUPS_PER_S = 10.0
MAX_VERIFIED = 100_000


@dataclass(frozen=True)
class KeyRecord:
    """A key as a service process holds it."""

    id: int
    public_id: str
    kind: KeyKind
    secret_hash: bytes
    origins: frozenset[str]
    per_minute: int
    per_day: int
    revoked_at: float | None  # epoch seconds; may lie in the future (a rotation's grace)
    caller: Caller

    def revoked(self, now: float) -> bool:
        return self.revoked_at is not None and self.revoked_at <= now


def record_from_row(row: Any) -> KeyRecord:
    box = row["home_box"]
    caller = Caller(
        council_code=row["council_code"],
        council_name=row["council_name"],
        key_prefix=row["public_id"],
        kind=row["kind"],
        home_custodians=tuple(row["home_custodians"]),
        home_box=(box[0], box[1], box[2], box[3]) if box else None,
    )
    return KeyRecord(
        id=row["id"],
        public_id=row["public_id"],
        kind=KeyKind(row["kind"]),
        secret_hash=bytes(row["secret_hash"]),
        origins=frozenset(row["origins"]),
        per_minute=row["per_minute"],
        per_day=row["per_day"],
        revoked_at=row["revoked_at"],
        caller=caller,
    )


class KeyCache:
    """Every key by public id, and the origins of the browser keys in force (for CORS)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._keys: dict[str, KeyRecord] = {}
        # keys already checked against their hash since the last reload, by the key as sent
        self._verified: dict[str, KeyRecord] = {}
        self.browser_origins: frozenset[str] = frozenset()
        self._miss_budget = MISS_LOOKUPS_PER_S
        self._budget_at = time.monotonic()

    def get(self, public_id: str) -> KeyRecord | None:
        return self._keys.get(public_id)

    def verified(self, sent: str) -> KeyRecord | None:
        """The record of a key sent before and found to match its hash: checking a key costs
        a parse and a hash only the first time a process sees it after a reload."""
        return self._verified.get(sent)

    def remember(self, sent: str, record: KeyRecord) -> None:
        if len(self._verified) < MAX_VERIFIED:
            self._verified[sent] = record

    async def reload(self, conn: Connection) -> None:
        """Replace what is held by what the database holds now."""
        rows = await conn.fetch(sql(__package__, "keys_for_cache"))
        keys = {row["public_id"]: record_from_row(row) for row in rows}
        now = self._clock()
        self._keys = keys
        self._verified = {}
        self.browser_origins = frozenset(
            origin
            for record in keys.values()
            if record.kind is KeyKind.BROWSER and not record.revoked(now)
            for origin in record.origins
        )

    async def find_new(self, conn: Connection, public_id: str) -> KeyRecord | None:
        """Look up one key not held (issued since the last reload), at most
        ``MISS_LOOKUPS_PER_S`` a second: beyond that a miss is answered from memory, so a
        flood of made-up keys cannot flood the database."""
        now = time.monotonic()
        self._miss_budget = min(
            MISS_LOOKUPS_PER_S, self._miss_budget + (now - self._budget_at) * MISS_LOOKUPS_PER_S
        )
        self._budget_at = now
        if self._miss_budget < 1:
            return None
        self._miss_budget -= 1
        row = await conn.fetchrow(sql(__package__, "key_for_cache"), public_id)
        if row is None:
            return None
        record = record_from_row(row)
        self._keys = {**self._keys, public_id: record}
        if record.kind is KeyKind.BROWSER and not record.revoked(self._clock()):
            self.browser_origins |= record.origins  # CORS for its pages before the next reload
        return record
