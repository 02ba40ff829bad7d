"""A generated area loaded as an operator would, served over real HTTP, shared by the hardening
tests in this folder (package scope: loaded once)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from service.main import create_app
from service.settings import DatabaseSettings, ServerSettings, Settings
from tests.support.loading import generated_database
from tests.support.pg import ThrowawayDatabases
from tests.support.server import KEYS_OPTIONAL, live_server

PUBLIC_URL = "https://lookup.example.gov.uk"


@pytest.fixture(scope="package")
def loaded_url(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hardening") / "gen"
    with generated_database(databases, folder, addresses=1500, seed=15, areas=("parish",)) as url:
        yield url


@pytest.fixture(scope="package")
def base_url(loaded_url: str) -> Iterator[str]:
    settings = Settings(
        db=DatabaseSettings(DATABASE_URL=loaded_url),
        server=ServerSettings(public_url=PUBLIC_URL, request_timeout_s=10),
        tenancy=KEYS_OPTIONAL,
    )
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="package")
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client
