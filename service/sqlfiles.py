"""Static SQL kept in package .sql files, read once on first use (never at import time).

A statement may include a fragment shared with others: ``{{name}}`` stands for the file
``_name.sql`` beside it (its comment lines left out), so a column list or an ORDER BY is
written once."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_INCLUDE = re.compile(r"\{\{(\w+)\}\}")


def _read(package: str, name: str) -> str:
    return (resources.files(package) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def _fragment(package: str, name: str) -> str:
    lines = _read(package, f"_{name}").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("--")).strip()


@cache
def sql(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql``, with its fragments included."""
    return _INCLUDE.sub(lambda match: _fragment(package, match[1]), _read(package, name))
