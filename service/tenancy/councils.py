"""Signatory councils: who may be issued keys, and the home area each may rank first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.db.types import Connection
from service.sqlfiles import sql

_GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")
# British National Grid: eastings 0-700 km, northings 0-1300 km.
_BNG_MAX = (700_000.0, 1_300_000.0)

Box = tuple[float, float, float, float]


class TenancyInputError(ValueError):
    """Input an operator gave that cannot be used; the message says why and what to give."""


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    home_custodians: tuple[int, ...] = ()
    home_box: Box | None = None
    created_at: datetime | None = None
    active_keys: int = 0


def checked_code(text: str) -> str:
    """A council's ONS/GSS code (a letter and eight digits, e.g. E07000203), upper case."""
    code = text.strip().upper()
    if not _GSS_CODE.match(code):
        raise TenancyInputError(
            f"{text!r} is not an ONS/GSS code: give the council's code, a letter and eight "
            "digits such as E07000203"
        )
    return code


def parse_box(text: str) -> Box:
    """A home box 'minx,miny,maxx,maxy' in British National Grid metres."""
    try:
        minx, miny, maxx, maxy = (float(part) for part in text.split(","))
    except ValueError:
        raise TenancyInputError(
            f"box {text!r} must be four numbers 'minx,miny,maxx,maxy' in British National "
            "Grid metres, e.g. 600000,250000,650000,300000"
        ) from None
    if not (0 <= minx < maxx <= _BNG_MAX[0] and 0 <= miny < maxy <= _BNG_MAX[1]):
        raise TenancyInputError(
            f"box {text!r} is not a box on the British National Grid: need "
            "0 <= minx < maxx <= 700000 and 0 <= miny < maxy <= 1300000 (metres)"
        )
    return (minx, miny, maxx, maxy)


def council_from_row(row: Any) -> Council:
    box = row["home_box"]
    return Council(
        code=row["code"],
        name=row["name"],
        home_custodians=tuple(row["home_custodians"]),
        home_box=(box[0], box[1], box[2], box[3]) if box else None,
        created_at=row["created_at"],
        active_keys=row["active_keys"],
    )


async def add_council(
    conn: Connection,
    code: str,
    name: str,
    *,
    custodians: tuple[int, ...] = (),
    box: Box | None = None,
) -> None:
    """Register a council; TenancyInputError when its code is already registered."""
    added = await conn.fetchval(
        sql(__package__, "add_council"), code, name, list(custodians), list(box) if box else None
    )
    if added is None:
        raise TenancyInputError(
            f"council {code} already exists: change it with `address-lookup councils update`"
        )


async def update_council(
    conn: Connection,
    code: str,
    *,
    name: str | None = None,
    custodians: tuple[int, ...] | None = None,
    box: Box | None = None,
    clear_home: bool = False,
) -> None:
    """Change a council's name or home area (what is not given stays as it is)."""
    changed = await conn.fetchval(
        sql(__package__, "update_council"),
        code,
        name,
        list(custodians) if custodians is not None else None,
        list(box) if box else None,
        clear_home,
    )
    if changed is None:
        raise unknown_council(code)


def unknown_council(code: str) -> TenancyInputError:
    return TenancyInputError(
        f"no council {code}: add it first with `address-lookup councils add {code} --name ...`"
    )


async def list_councils(conn: Connection) -> list[Council]:
    """Every council, by code."""
    return [council_from_row(row) for row in await conn.fetch(sql(__package__, "list_councils"))]
