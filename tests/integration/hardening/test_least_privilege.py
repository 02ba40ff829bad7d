"""The service run as a superuser says so: one warning line in its log at start, and the same
sentence in /readyz, both naming the read-only role to connect as instead. (The managed
cluster's own roles, and that the service role cannot write, are drilled in
test_outage_drill.py on a scratch cluster.)"""

from __future__ import annotations

from pathlib import Path

import httpx

from service.db.roles import SERVICE_ROLE
from tests.support.server import serve_process


def test_readyz_reports_a_superuser_connection(api: httpx.Client) -> None:
    ready = api.get("/readyz")
    assert ready.status_code == 200, "a warning, not a failure"
    [warning] = ready.json()["warnings"]
    assert "a superuser" in warning
    assert SERVICE_ROLE in warning


def test_serve_warns_at_start_when_it_connects_as_a_superuser(
    loaded_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    with serve_process(loaded_url, log, ADDRESS_LOOKUP_REQUIRE_KEYS="false") as base:
        assert httpx.get(f"{base}/readyz").json()["warnings"]
    lines = [line for line in log.read_text().splitlines() if "a superuser" in line]
    assert len(lines) == 1, log.read_text()[-2000:]
    assert "WARNING" in lines[0].upper()
    assert SERVICE_ROLE in lines[0]
