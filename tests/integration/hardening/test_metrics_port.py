"""Metrics on an internal port of their own (ADDRESS_LOOKUP_METRICS_PORT): `serve` answers
lookups on its public port, where /metrics is then not found, and the internal port counts
them (read from the workers' shared metrics folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import free_port, serve_process, wait_until


@pytest.fixture(scope="module")
def ports(loaded_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    log: Path = tmp_path_factory.mktemp("metrics") / "serve.log"
    internal = free_port()
    env = {"ADDRESS_LOOKUP_REQUIRE_KEYS": "false", "ADDRESS_LOOKUP_METRICS_PORT": str(internal)}
    with serve_process(loaded_url, log, **env) as base:
        yield base, f"http://127.0.0.1:{internal}"


def _requests_counted(page: str, route: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in page.splitlines()
        if line.startswith("address_lookup_requests_total{") and f'route="{route}"' in line
    )


def test_metrics_are_served_only_on_the_internal_port(ports: tuple[str, str]) -> None:
    public, internal = ports
    for _ in range(10):
        assert httpx.get(f"{public}/v1/postcodes", params={"q": "FX1"}).status_code == 200
    assert httpx.get(f"{public}/metrics").status_code == 404

    def counted() -> bool:
        page = httpx.get(f"{internal}/metrics").text
        return _requests_counted(page, "/v1/postcodes") >= 10

    wait_until(counted, timeout=15)
