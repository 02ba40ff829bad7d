"""Generate a settlement street by street: plots placed along each street, postcodes, lat/long.

Everything comes from the settlement's own random stream, so generating one settlement again
gives exactly the same streets and addresses.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache

from pyproj import Transformer

from loaders.generate.fill import Plot, StreetFiller
from loaders.generate.model import Address, Street, StreetBatch
from loaders.generate.plan import RULES, AreaPlan, Settlement
from loaders.generate.postcodes import PostcodeSlot, delivery_point_suffix, unit_postcode
from loaders.generate.properties import AddressFactory
from loaders.generate.streets import StreetLayout

SETBACK_M = {"town": 10.0, "village": 16.0, "hamlet": 25.0}
FIRST_ENTRY_DATE = date(1998, 3, 2)


@cache
def _bng_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_lat_lon(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """WGS84 latitudes and longitudes (7 decimals) of British National Grid points."""
    lons, lats = _bng_to_wgs84().transform(xs, ys)
    return [round(v, 7) for v in lats], [round(v, 7) for v in lons]


@cache
def entry_dates(supply_date: date) -> tuple[str, ...]:
    """Every day from 1998 to a fortnight before the supply, as YYYY-MM-DD, oldest first."""
    days = (supply_date - timedelta(days=14) - FIRST_ENTRY_DATE).days
    return tuple((FIRST_ENTRY_DATE + timedelta(days=d)).isoformat() for d in range(days))


def generate_area(plan: AreaPlan) -> Iterator[StreetBatch]:
    """Every street of the area with its addresses, settlement by settlement."""
    for settlement in plan.settlements:
        yield from generate_settlement(plan, settlement)


def generate_settlement(plan: AreaPlan, settlement: Settlement) -> Iterator[StreetBatch]:
    """The streets of one settlement holding exactly ``settlement.addresses`` addresses."""
    rng = random.Random(f"{plan.seed}:settlement:{settlement.index}")
    dates = entry_dates(plan.supply_date)
    layout = StreetLayout(rng, settlement, dates)
    filler = StreetFiller(AddressFactory(rng, settlement.first_uprn, dates), settlement)
    units = PostcodeUnits(rng, settlement.postcode_slots)
    rules = RULES[settlement.kind]
    remaining, usrn = settlement.addresses, settlement.first_usrn
    while remaining > 0:
        quota = min(remaining, rng.randint(rules.min_street, rules.max_street))
        if remaining - quota < rules.min_street:
            quota = remaining
        planned = layout.next_street(usrn, quota)
        if planned.jumped:
            units.close()
        addresses = place_plots(planned.street, filler.fill(planned, quota), settlement.kind, rng)
        for address in addresses:
            units.assign(address)
        add_lat_lon(planned.street, addresses)
        yield StreetBatch(planned.street, addresses)
        remaining -= quota
        usrn += 1


def place_plots(street: Street, plots: list[Plot], kind: str, rng: random.Random) -> list[Address]:
    """Put each plot beside the street, odd and even sides facing; returns the addresses."""
    (x0, y0), (x1, y1) = street.start, street.end
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    along_unit = ((x1 - x0) / length, (y1 - y0) / length)
    per_side = [sum(1 for plot in plots if plot.side == side) or 1 for side in (0, 1)]
    seen = [0, 0]
    placed: list[Address] = []
    for plot in plots:
        along = (seen[plot.side] + 0.5) / per_side[plot.side]
        seen[plot.side] += 1
        away = (1 if plot.side else -1) * (SETBACK_M[kind] + rng.uniform(-2, 2))
        x = x0 + along * (x1 - x0) - away * along_unit[1]
        y = y0 + along * (y1 - y0) + away * along_unit[0]
        for index, address in enumerate(plot.addresses):
            # units of an estate spread over a small grid behind the frontage
            ahead, back = (9.0 * (index % 5), 9.0 * (index // 5)) if plot.scattered else (0, 0)
            depth = back if away > 0 else -back
            address.x = round(x + ahead * along_unit[0] - depth * along_unit[1], 2)
            address.y = round(y + ahead * along_unit[1] + depth * along_unit[0], 2)
            placed.append(address)
    return placed


def add_lat_lon(street: Street, addresses: list[Address]) -> None:
    """Fill latitude and longitude of the street's ends and of its addresses in one call."""
    xs = [street.start[0], street.end[0], *(a.x for a in addresses)]
    ys = [street.start[1], street.end[1], *(a.y for a in addresses)]
    lats, lons = to_lat_lon(xs, ys)
    street.start_lat_lon = (lats[0], lons[0])
    street.end_lat_lon = (lats[1], lons[1])
    for address, lat, lon in zip(addresses, lats[2:], lons[2:], strict=True):
        address.lat, address.lon = lat, lon


class PostcodeUnits:
    """Hands out a settlement's postcodes: a unit holds 10-40 neighbouring addresses."""

    def __init__(self, rng: random.Random, slots: tuple[PostcodeSlot, ...]) -> None:
        self._rng = rng
        self._slots = slots
        self._unit = -1
        self._postcode = ""
        self._filled = 0
        self._target = 0
        self._delivery_points = 0

    def close(self) -> None:
        """End the current unit: the next address starts a new one (a jump across town)."""
        self._filled = self._target

    def assign(self, address: Address) -> None:
        """Give the address the current unit's postcode, and a delivery point suffix."""
        if self._unit < 0 or self._filled >= self._target:
            self._unit += 1
            self._postcode = unit_postcode(self._slots, self._unit)
            self._filled, self._target = 0, self._rng.randint(10, 40)
            self._delivery_points = 0
        self._filled += 1
        address.postcode = self._postcode
        if address.delivery is not None:
            address.delivery.suffix = delivery_point_suffix(self._delivery_points)
            self._delivery_points += 1
