"""Keys in the database: issue, list, revoke and rotate. A key's secret is returned once, by
the function that makes it; only its hash is ever stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from service.db.types import Connection
from service.sqlfiles import sql
from service.tenancy.councils import TenancyInputError, unknown_council
from service.tenancy.keys import KeyKind, make_key

_DRAWS = 5  # a public id is 40 random bits: a second draw is already vanishingly rare


@dataclass(frozen=True)
class KeySpec:
    """What a key is for: its council and kind, the origins it serves, its limits."""

    council_code: str
    kind: KeyKind
    origins: tuple[str, ...]
    per_minute: int
    per_day: int
    label: str | None = None

    def problem(self) -> str | None:
        """Why this key cannot be made as asked, or None."""
        if self.kind is KeyKind.BROWSER and not self.origins:
            return (
                "a browser key needs at least one --origin (the origins of the pages that "
                "will use it, e.g. --origin https://forms.example.gov.uk)"
            )
        if self.kind is KeyKind.SERVER and self.origins:
            return "a server key takes no --origin: it must never be used from a browser"
        return None


@dataclass(frozen=True)
class IssuedKey:
    key: str  # the whole key: show it once, store it nowhere
    public_id: str


async def create_key(conn: Connection, spec: KeySpec) -> IssuedKey:
    """Issue a key; TenancyInputError when the spec is not usable or the council unknown."""
    problem = spec.problem()
    if problem:
        raise TenancyInputError(problem)
    for _ in range(_DRAWS):
        new = make_key(spec.kind)
        try:
            added = await conn.fetchval(
                sql(__package__, "insert_key"),
                new.public_id,
                spec.council_code,
                spec.kind.value,
                new.secret_hash,
                list(spec.origins),
                spec.per_minute,
                spec.per_day,
                spec.label,
            )
        except asyncpg.ForeignKeyViolationError:
            raise unknown_council(spec.council_code) from None
        if added is not None:
            return IssuedKey(key=new.key, public_id=new.public_id)
    raise RuntimeError("could not draw an unused public id for a key")


async def list_keys(
    conn: Connection, *, council: str | None = None, include_revoked: bool = True
) -> list[dict[str, Any]]:
    """Keys as an operator sees them, newest first: never their secret or its hash."""
    rows = await conn.fetch(sql(__package__, "list_keys"), council, include_revoked)
    return [dict(row) for row in rows]


async def _key_row(conn: Connection, public_id: str) -> Any:
    row = await conn.fetchrow(sql(__package__, "key_by_public_id"), public_id)
    if row is None:
        raise TenancyInputError(
            f"no key {public_id!r}: give the public prefix `address-lookup keys list` shows "
            "(e.g. alpk_x7k2m9q4), never the whole key"
        )
    return row


async def revoke_key(conn: Connection, public_id: str) -> datetime:
    """Revoke a key now (or keep an earlier revocation); returns when it stops working."""
    await _key_row(conn, public_id)
    revoked: datetime = await conn.fetchval(
        sql(__package__, "revoke_key"), public_id, datetime.now().astimezone(), None
    )
    return revoked


async def rotate_key(conn: Connection, public_id: str, grace: timedelta) -> IssuedKey:
    """A new key with the same council, kind, origins, limits and label; the old one keeps
    working for ``grace`` and then stops."""
    old = await _key_row(conn, public_id)
    if old["revoked_at"] is not None and old["revoked_at"] <= datetime.now().astimezone():
        raise TenancyInputError(f"key {public_id} is already revoked: create a new key instead")
    spec = KeySpec(
        council_code=old["council_code"],
        kind=KeyKind(old["kind"]),
        origins=tuple(old["origins"]),
        per_minute=old["per_minute"],
        per_day=old["per_day"],
        label=old["label"],
    )
    async with conn.transaction():
        issued = await create_key(conn, spec)
        ends = datetime.now().astimezone() + grace
        await conn.execute(sql(__package__, "revoke_key"), public_id, ends, issued.public_id)
    return issued
