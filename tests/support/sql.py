"""Reading the database straight from a test, synchronously (psycopg): the independent truth
a test compares an answer with, and usable beside playwright's sync API, which holds the
thread's event loop while a browser is open (so asyncio.run cannot be)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row


def rows(url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    """The rows of one query as dicts; values travel as %s parameters."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute(sql, args).fetchall()
