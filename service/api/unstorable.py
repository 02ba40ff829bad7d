"""Characters PostgreSQL cannot hold, refused where a request comes in, naming the parameter.

PostgreSQL text cannot hold a NUL (U+0000), and UTF-8 cannot encode a lone surrogate
(U+D800-U+DFFF, which a JSON body can spell as ``\\ud800``); neither is ever part of an
address. Checking every path, query and body value once, before any handler runs, gives the
caller a 422 that names the parameter instead of a database error deep in a query."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request

from service.errors import InvalidInput

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    name = "a NUL character" if char == "\x00" else "an unpaired surrogate"
    return f"contains {name} (U+{ord(char):04X}) at position {found.start() + 1}"


def _body_problems(value: Any, field: str) -> list[dict[str, str]]:
    """Every string in a parsed JSON body (keys too) that PostgreSQL cannot hold."""
    if isinstance(value, str):
        problem = _problem(value)
        return [{"in": "body", "field": field or "body", "problem": problem}] if problem else []
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _body_problems(item, _join(field, i))]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            name = _join(field, _printable(key))
            found += _body_problems(key, f"{name} (the key)") + _body_problems(item, name)
        return found
    return []


def _join(field: str, part: object) -> str:
    """A field's path as validation errors name it: addresses.3 (within the body)."""
    return f"{field}.{part}" if field else str(part)


def _printable(key: str) -> str:
    """A body key as it can be written back in the answer (a lone surrogate as \\udxxx)."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


async def refuse_unstorable_text(request: Request) -> None:
    """An app-wide dependency: 422 when any parameter holds a character PostgreSQL refuses.
    (Async, so it runs on the event loop; the body is parsed once and cached by Starlette.)"""
    problems = [
        {"in": where, "field": name, "problem": problem}
        for where, items in (
            ("path", request.path_params.items()),
            ("query", request.query_params.multi_items()),
        )
        for name, value in items
        if isinstance(value, str) and (problem := _problem(value))
    ]
    if request.method in ("POST", "PUT", "PATCH"):
        problems += _body_problems(await _parsed_body(request), "")
    if problems:
        raise InvalidInput(
            "Invalid request: " + "; ".join(f"{p['field']}: {p['problem']}" for p in problems),
            hint="Remove control characters and broken Unicode from the values listed.",
            details=problems,
        )


async def _parsed_body(request: Request) -> Any:
    """The JSON body FastAPI parsed (cached on the request), or None when there is none or
    it is not JSON (FastAPI reports that itself)."""
    if "json" not in request.headers.get("content-type", "") or not await request.body():
        return None
    try:
        return await request.json()
    except ValueError:
        return None
