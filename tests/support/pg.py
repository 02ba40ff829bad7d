"""Throwaway PostGIS databases for tests: one migrated template per session, cloned per test
(CREATE DATABASE ... TEMPLATE is far quicker than migrating each time)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from psycopg.conninfo import conninfo_to_dict
from pytest_postgresql.janitor import DatabaseJanitor

from service.db.migrations import migrate


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class ThrowawayDatabases:
    """Creates and drops databases on one server for the test session."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        info = conninfo_to_dict(server_url)
        self._janitor_args = {
            "user": str(info.get("user", "postgres")),
            "host": str(info.get("host", "127.0.0.1")),
            "port": str(info.get("port", 5432)),
            "password": str(info["password"]) if info.get("password") else None,
        }
        self.template = f"al_template_{uuid.uuid4().hex[:10]}"
        self._janitor(self.template, as_template=True).init()
        asyncio.run(self._migrate(with_database(server_url, self.template)))

    def _janitor(self, name: str, **kwargs: object) -> DatabaseJanitor:
        return DatabaseJanitor(dbname=name, **self._janitor_args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    async def _migrate(url: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            await migrate(conn)
        finally:
            await conn.close()

    @contextmanager
    def fresh(self) -> Iterator[str]:
        """A new migrated database, dropped afterwards; yields its URL."""
        name = f"al_test_{uuid.uuid4().hex[:10]}"
        janitor = self._janitor(name, template_dbname=self.template)
        janitor.init()
        try:
            yield with_database(self.server_url, name)
        finally:
            janitor.drop()

    @contextmanager
    def empty(self) -> Iterator[str]:
        """A new database with nothing in it, not even migrations."""
        name = f"al_empty_{uuid.uuid4().hex[:10]}"
        janitor = self._janitor(name)
        janitor.init()
        try:
            yield with_database(self.server_url, name)
        finally:
            janitor.drop()

    def close(self) -> None:
        self._janitor(self.template, as_template=True).drop()
