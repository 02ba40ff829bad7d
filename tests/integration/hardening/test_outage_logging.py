"""A background job of the key gate (reloading keys, writing usage) that fails because the
database is unreachable logs one line a turn, without a traceback (the outage itself is
logged once by service.db.outages); a job failing for any other reason keeps its traceback."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from service.tenancy.gate import _every


async def _log_of_failing_job(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> list[logging.LogRecord]:
    async def job() -> None:
        raise error

    with caplog.at_level(logging.WARNING, logger="address_lookup.tenancy"):
        task = asyncio.create_task(_every(0.01, job, "usage flush"))
        await asyncio.sleep(0.1)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return [record for record in caplog.records if record.name == "address_lookup.tenancy"]


async def test_a_job_failing_for_an_outage_logs_a_line_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    records = await _log_of_failing_job(ConnectionRefusedError(111, "Connect call failed"), caplog)
    assert records
    assert not any(record.exc_info for record in records)
    assert "ConnectionRefusedError: [Errno 111] Connect call failed" in records[0].getMessage()


async def test_a_job_failing_for_a_bug_keeps_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    records = await _log_of_failing_job(KeyError("oops"), caplog)
    assert records and all(record.exc_info for record in records)
