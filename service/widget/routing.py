"""Which parish a report goes to, found on the server from what the form sent: the chosen
address (its UPRN) when there is one, else the postcode's addresses. The widget's own parish
fields are never trusted for this: a page can be edited, the boundaries in the database cannot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from service.db.types import Connection
from service.postcodes.parse import Postcode
from service.spatial.areas import (
    Area,
    Contact,
    address_position,
    areas_for_points,
    find_areas_containing,
    postcode_points,
)
from service.spatial.postcode_areas import summarise_postcode

PARISH = "parish"
Basis = Literal["address", "postcode", "none"]


@dataclass(frozen=True)
class Routing:
    """Where a report goes and how that was decided. ``split`` is true when the postcode's
    addresses lie in several parishes (the report then goes to the one holding most)."""

    parish: Area | None
    basis: Basis
    split: bool = False

    @property
    def contact(self) -> Contact | None:
        """Who receives it: the parish clerk, else the parish's first contact."""
        if self.parish is None or not self.parish.contacts:
            return None
        clerks = [c for c in self.parish.contacts if c.role and "clerk" in c.role.lower()]
        return (clerks or self.parish.contacts)[0]


async def route_report(conn: Connection, *, uprn: int | None, postcode: Postcode | None) -> Routing:
    """The parish for a report about this address (UPRN first, then postcode)."""
    position = await address_position(conn, uprn) if uprn is not None else None
    if position is not None:
        found = await find_areas_containing(conn, x=position["x"], y=position["y"], types=[PARISH])
        return Routing(found[0] if found else None, "address")
    if postcode is not None:
        return await _route_by_postcode(conn, postcode)
    return Routing(None, "none")


async def _route_by_postcode(conn: Connection, postcode: Postcode) -> Routing:
    points = await postcode_points(conn, postcode.key)
    if not points:
        return Routing(None, "none")
    in_parishes = await areas_for_points(conn, points, types=[PARISH])
    summary = summarise_postcode(postcode.display, in_parishes)
    if not summary.areas:
        return Routing(None, "postcode")
    top = summary.areas[0]  # most addresses first
    parish = Area(top.code, top.name, top.type, top.parent, top.contacts)
    return Routing(parish, "postcode", split=summary.split)
