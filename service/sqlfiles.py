"""Static SQL kept in package .sql files, read once on first use (never at import time).

A statement may include a fragment shared with others: ``{{name}}`` stands for the file
``_name.sql`` beside it, ``{{package:name}}`` for one in another package's sql/ (comment lines
left out), so a column list or an ORDER BY is written once."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_INCLUDE = re.compile(r"\{\{(?:([\w.]+):)?(\w+)\}\}")


def _read(package: str, name: str) -> str:
    return (resources.files(package) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


@cache
def fragment(package: str, name: str) -> str:
    """The text of the fragment ``<package>/sql/_<name>.sql`` without its comment lines."""
    lines = _read(package, f"_{name}").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("--")).strip()


@cache
def sql(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql``, with its fragments included."""
    return _INCLUDE.sub(lambda match: fragment(match[1] or package, match[2]), _read(package, name))
