"""Fixtures shared by every test: a real PostGIS server and throwaway databases on it.

With DATABASE_URL set, its server is used (the user needs CREATEDB); otherwise the managed
local PostGIS is started. If neither can be reached the tests error: they never skip.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.db import localcluster
from service.settings import Settings
from tests.support.pg import ThrowawayDatabases


@pytest.fixture(scope="session")
def databases() -> Iterator[ThrowawayDatabases]:
    settings = Settings()
    server_url = settings.db.url or localcluster.ensure_running(settings.local_db)
    dbs = ThrowawayDatabases(server_url)
    yield dbs
    dbs.close()


@pytest.fixture
def database_url(databases: ThrowawayDatabases) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    with databases.fresh() as url:
        yield url
