"""Headers over real HTTP: caching keyed to the data version, security headers, no server
name, and absolute URLs from the configured public URL, never from the Host header."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from tests.integration.hardening.conftest import PUBLIC_URL


def test_a_lookup_is_cacheable_and_revalidates_to_304(api: httpx.Client) -> None:
    first = api.get("/v1/postcodes", params={"q": "FX1"})
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=60"
    etag = first.headers["etag"]
    again = api.get("/v1/postcodes", params={"q": "FX1"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = api.get("/v1/postcodes", params={"q": "FX2"}, headers={"If-None-Match": etag})
    assert other.status_code == 200, "another request has another ETag"


def test_the_etag_changes_when_a_load_takes_effect(api: httpx.Client, loaded_url: str) -> None:
    before = api.get("/v1/postcodes", params={"q": "FX1"}).headers["etag"]
    asyncio.run(_record_a_finished_load(loaded_url))
    after = before
    for _ in range(50):  # each process rereads the data version every 2 s
        after = api.get("/v1/postcodes", params={"q": "FX1"}).headers["etag"]
        if after != before:
            break
        asyncio.run(asyncio.sleep(0.1))
    assert after != before
    stale = api.get("/v1/postcodes", params={"q": "FX1"}, headers={"If-None-Match": before})
    assert stale.status_code == 200


async def _record_a_finished_load(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO data_versions (dataset, kind, status, finished_at) "
            "VALUES ('contacts', 'contacts', 'live', now())"
        )
    finally:
        await conn.close()


def test_errors_and_bulk_answers_are_not_stored(api: httpx.Client) -> None:
    assert api.get("/v1/postcodes/ZZ").headers["cache-control"] == "no-store"
    bulk = api.post("/v1/postcodes", json={"postcodes": ["FX1 1AA"]})
    assert bulk.headers["cache-control"] == "no-store"
    assert "etag" not in bulk.headers


def test_security_headers_and_no_server_name(api: httpx.Client) -> None:
    for path in ("/v1/postcodes?q=FX1", "/nowhere", "/healthz"):
        response = api.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        assert "server" not in response.headers


def test_html_pages_get_a_csp_that_allows_only_this_origin(api: httpx.Client) -> None:
    page = api.get("/docs")
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "cdn" not in page.text.lower(), "the docs load nothing from a CDN"


def test_os_places_uri_comes_from_the_public_url_not_the_host(api: httpx.Client) -> None:
    response = api.get(
        "/search/places/v1/postcode",
        params={"postcode": "FX1 1AA", "key": "x"},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 200, response.text
    uri = response.json()["header"]["uri"]
    assert uri.startswith(f"{PUBLIC_URL}/search/places/v1/postcode?")
    assert "evil" not in response.text


def test_a_trailing_slash_is_not_redirected_to_the_host(api: httpx.Client) -> None:
    response = api.get("/v1/postcodes/", headers={"Host": "evil.example"})
    assert response.status_code == 404
    assert "location" not in response.headers
