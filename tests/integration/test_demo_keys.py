"""The demo's keys: each run makes a browser key for its pages and a server key for curl,
and revokes those of the run before."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from loaders.cli.demo_keys import DEMO_COUNCIL, DemoKeys, demo_origins, make_demo_keys
from service.main import create_app
from service.settings import DatabaseSettings, Settings, TenancySettings
from service.tenancy.store import list_keys
from tests.support.server import live_server


async def demo_run(url: str, port: int) -> DemoKeys:
    conn = await asyncpg.connect(url)
    try:
        return await make_demo_keys(conn, demo_origins("127.0.0.1", port))
    finally:
        await conn.close()


async def test_each_demo_run_has_new_keys_and_revokes_the_last_runs(database_url: str) -> None:
    first = await demo_run(database_url, 8000)
    second = await demo_run(database_url, 8000)
    assert first.origins == ("http://127.0.0.1:8000", "http://localhost:8000")
    conn = await asyncpg.connect(database_url)
    try:
        active = await list_keys(conn, council=DEMO_COUNCIL, include_revoked=False)
        council = await conn.fetchrow("SELECT * FROM councils WHERE code = $1", DEMO_COUNCIL)
    finally:
        await conn.close()
    assert {k["public_id"] for k in active} == {
        second.browser.rsplit("_", 1)[0],
        second.server.rsplit("_", 1)[0],
    }
    assert council["home_custodians"], "the demo council has a home area for ranking"
    assert first.browser not in (second.browser, second.server)


def test_the_demo_browser_key_works_from_the_demo_pages(database_url: str) -> None:
    settings = Settings(
        db=DatabaseSettings(DATABASE_URL=database_url), tenancy=TenancySettings(require_keys=True)
    )
    with live_server(create_app(settings)) as base:
        port = int(base.rsplit(":", 1)[1])
        keys = asyncio.run(demo_run(database_url, port))
        for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            answer = httpx.get(
                f"{base}/v1/areas",
                params={"lat": 52.2, "lon": 1.0, "key": keys.browser},
                headers={"Origin": origin},
            )
            assert answer.status_code == 200, answer.text
        by_curl = httpx.get(
            f"{base}/v1/areas", params={"lat": 52.2, "lon": 1.0}, headers={"X-API-Key": keys.server}
        )
        assert by_curl.status_code == 200
