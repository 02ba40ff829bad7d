"""Watching the service's database sessions during a drill: every few milliseconds, which of
them wait for a lock, for how long so far, and who holds or queues ahead for it. This is the
direct measure of a load stalling readers, whatever the machine's CPU is doing meanwhile."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg

SERVICE_APPLICATION = "address-lookup"
_WAITING = """
SELECT w.pid,
       extract(epoch FROM now() - w.state_change) * 1000 AS waited_ms,
       coalesce((SELECT string_agg(DISTINCT b.application_name, ', ')
                 FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(w.pid))), '')
           AS blocked_by
FROM pg_stat_activity w
WHERE w.application_name = $1 AND w.wait_event_type = 'Lock' AND w.datname = current_database()
"""


async def watch_lock_waits(
    url: str, stop: asyncio.Event, interval_s: float = 0.02
) -> dict[str, Any]:
    """Sample until ``stop``: how often a service session waited on a lock, the longest wait
    seen and who it waited for."""
    conn = await asyncpg.connect(url, server_settings={"application_name": "drill lock watcher"})
    samples = waiting = 0
    longest = 0.0
    blockers: dict[str, int] = {}
    try:
        while not stop.is_set():
            rows = await conn.fetch(_WAITING, SERVICE_APPLICATION)
            samples += 1
            waiting += bool(rows)
            for row in rows:
                longest = max(longest, float(row["waited_ms"]))
                blockers[row["blocked_by"]] = blockers.get(row["blocked_by"], 0) + 1
            await asyncio.sleep(interval_s)
    finally:
        await conn.close()
    return {
        "samples": samples,
        "samples_with_a_service_query_waiting_on_a_lock": waiting,
        "longest_lock_wait_seen_ms": round(longest, 1),
        "waiting_for": blockers,
        "interval_ms": interval_s * 1000,
        "watched_until": time.strftime("%H:%M:%S"),
    }
