"""Keys across several service processes (``address-lookup serve``, each its own process on
one database): limits held by all of them together, a revocation reaching each of them, usage
written at shutdown, and logs that never hold a key, a UPRN or a postcode."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support.cli import run_cli
from tests.support.keys import MID_SUFFOLK, issue_key, public_prefix, small_keyed_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import serve_process

pytestmark = pytest.mark.slow
PROCESSES = 2


@pytest.fixture(scope="module")
def url(databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with small_keyed_database(databases, tmp_path_factory.mktemp("keys")) as url:
        yield url


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="module")
def services(url: str, logs: Path) -> Iterator[list[str]]:
    """Two service processes with the default settings (keys reloaded every 5 s)."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(serve_process(url, logs / f"service-{n}.log"))
            for n in range(PROCESSES)
        ]


def spread(services: list[str], path: str, key: str, count: int) -> list[int]:
    """``count`` requests shared between the processes, eight at a time; their statuses."""
    bases = itertools.cycle(services)
    urls = [f"{next(bases)}{path}" for _ in range(count)]
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda u: client.get(u, headers={"X-API-Key": key}).status_code, urls))


def test_a_day_limit_holds_across_processes_within_5_percent(url: str, services: list[str]) -> None:
    limit = 2000
    key = issue_key(url, MID_SUFFOLK, "server", "--per-day", str(limit), "--per-minute", "100000")
    statuses = spread(services, "/v1/addresses/1", key, limit + 300)
    served = statuses.count(200)
    assert set(statuses) == {200, 429}
    assert limit * 0.95 <= served <= limit, served
    assert statuses[-100:] == [429] * 100, "once spent, the allowance stays spent"


def test_a_minute_limit_holds_exactly_across_processes(url: str, services: list[str]) -> None:
    key = issue_key(url, MID_SUFFOLK, "server", "--per-minute", "60")
    if 60 - time.time() % 60 < 15:  # the burst must not straddle two minutes
        time.sleep(60 - time.time() % 60 + 0.5)
    statuses = spread(services, "/v1/addresses/2", key, 90)
    assert statuses.count(200) == 60 and statuses.count(429) == 30
    refused = httpx.get(f"{services[1]}/v1/addresses/2", params={"key": key})
    assert 0 < int(refused.headers["retry-after"]) <= 60


def test_a_revoked_key_is_refused_by_every_process_within_10_seconds(
    url: str, services: list[str]
) -> None:
    key = issue_key(url, MID_SUFFOLK, "server")
    for base in services:
        assert httpx.get(f"{base}/v1/addresses/3", params={"key": key}).status_code == 200
    assert run_cli("keys", "revoke", public_prefix(key), env={"DATABASE_URL": url}).returncode == 0
    revoked_at = time.monotonic()
    waiting = set(services)
    while waiting and time.monotonic() - revoked_at < 10:
        waiting = {b for b in waiting if accepted(b, key)}
        time.sleep(0.2)
    assert not waiting, f"still accepted after 10 s by {waiting}"


def accepted(base: str, key: str) -> bool:
    return httpx.get(f"{base}/v1/addresses/3", params={"key": key}).status_code != 401


def test_usage_counted_is_written_when_a_process_shuts_down(url: str, tmp_path: Path) -> None:
    key = issue_key(url, MID_SUFFOLK, "server")
    # a flush interval of an hour: only the shutdown can write these counts
    with serve_process(url, tmp_path / "serve.log", ADDRESS_LOOKUP_USAGE_FLUSH_S="3600") as base:
        for path in ("/v1/addresses/1", "/v1/addresses/2", "/v1/postcodes/FX11AA", "/nowhere"):
            httpx.get(f"{base}{path}", headers={"X-API-Key": key})
    rows = asyncio.run(usage_of(url, public_prefix(key)))
    assert rows == {("uprn", 2): 2, ("postcode", 2): 1, ("other", 4): 1}


async def usage_of(url: str, public_id: str) -> dict[tuple[str, int], int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT family, status_class, requests FROM key_usage u JOIN api_keys k "
            "ON k.id = u.key_id WHERE k.public_id = $1",
            public_id,
        )
    finally:
        await conn.close()
    return {(r["family"], r["status_class"]): r["requests"] for r in rows}


def test_the_logs_hold_no_key_uprn_or_postcode(url: str, services: list[str], logs: Path) -> None:
    browser = issue_key(url, MID_SUFFOLK, "browser", "--origin", "https://forms.example.gov.uk")
    server = issue_key(url, MID_SUFFOLK, "server")
    origin = {"Origin": "https://forms.example.gov.uk"}
    for base in services:
        with httpx.Client(base_url=base) as client:
            client.get("/v1/addresses/100023336956", params={"key": server})
            client.get("/v1/addresses/2", headers={"X-API-Key": server})
            client.get("/v1/postcodes/FX1%201AA", params={"key": browser}, headers=origin)
            client.get("/v1/postcodes/fx11aa", params={"key": browser})  # 403: no origin
            client.get("/v1/areas", params={"postcode": "FX1 1AA", "key": server})
            client.get("/v1/addresses/search", params={"q": "2 Liverpool Rd", "key": server})
            client.get("/v1/postcodes/NOTAPOSTCODE", headers={"X-API-Key": server})
            client.get("/v1/nowhere/FX11AA/100023336956", params={"key": server})
            client.get("/v1/addresses/1", params={"key": server[:-1] + "x"})
    time.sleep(0.5)
    text = "\n".join(log.read_text() for log in sorted(logs.glob("service-*.log")))
    assert '"route":"/v1/addresses/{uprn}"' in text and public_prefix(server) in text
    for secret in (browser, server, server[-26:], browser[-26:], server[:-1] + "x"):
        assert secret not in text
    for private in ("100023336956", "FX1", "fx1", "liverpool", "Liverpool", "NOTAPOSTCODE"):
        assert private not in text, private
