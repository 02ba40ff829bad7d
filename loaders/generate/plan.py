"""The plan of the fictional area: its settlements, boundaries and identifier blocks.

The plan is small (one entry per settlement) and follows from the seed, the address count and
the parish count alone. Each settlement then generates its streets and addresses from its own
random stream, so any one settlement can be generated again on its own (the change-only supply
relies on that).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from loaders.generate import names as naming
from loaders.generate.areas import AreaTree, PlaceSeed, build_areas
from loaders.generate.postcodes import PostcodeSlot, SectorAllocator

CENTRE = (450_000.0, 250_000.0)  # BNG metres: inland England, between Banbury and Northampton
MAX_SIDE_M = 110_000.0
ADDRESSES_PER_KM2 = 120.0
SETTLEMENT_GAP_M = 250.0
EDGE_MARGIN_M = 150.0
UPRN_BASE = 10_010_000_000
USRN_BASE = 21_000_000
FIRST_SUPPLY_DATE = date(2026, 1, 2)
ADDRESSES_PER_POST_TOWN = 60_000
EXPECTED_UNIT_SIZE = 22  # a unit holds 10-40 addresses, fewer where a street ends it


@dataclass(frozen=True, slots=True)
class KindRules:
    """How a kind of settlement is laid out."""

    density_per_km2: float
    min_street: int
    max_street: int
    frontage_m: float
    streets_per_neighbourhood: int


RULES: dict[str, KindRules] = {
    "town": KindRules(2500, 8, 110, 8.0, 12),
    "village": KindRules(1200, 4, 50, 14.0, 8),
    "hamlet": KindRules(300, 1, 20, 30.0, 4),
}
KIND_WEIGHTS = {"town": 8, "village": 50, "hamlet": 42}


def unit_budget(kind: str, size: int) -> int:
    """Most postcode units a settlement can use: a unit closes at 10+ addresses or a jump."""
    rules = RULES[kind]
    streets = size // rules.min_street + 1
    jumps = streets // rules.streets_per_neighbourhood + 1
    return size // 10 + jumps + 1


@dataclass(frozen=True, slots=True)
class Settlement:
    """A town, village or hamlet: where it is, how many addresses, and its identifier blocks."""

    index: int
    kind: str
    name: str
    x: float
    y: float
    radius: float
    addresses: int
    town_name: str
    post_town: str
    parent_village: str
    custodian: int
    administrative_area: str
    nearby_places: tuple[str, ...]
    postcode_slots: tuple[PostcodeSlot, ...]
    first_uprn: int
    first_usrn: int


@dataclass(frozen=True)
class AreaPlan:
    """Everything about the fictional area that is decided before any address is made."""

    seed: int
    addresses: int
    supply_date: date
    bounds: tuple[float, float, float, float]
    settlements: tuple[Settlement, ...]
    areas: AreaTree

    @property
    def next_uprn(self) -> int:
        """A UPRN above every UPRN of the full supply (change-only inserts start here)."""
        last = self.settlements[-1]
        return last.first_uprn + last.addresses + 1000


def supply_date_for(seed: int) -> date:
    """The fixed date a full supply carries: a Friday in 2026 chosen by the seed."""
    return FIRST_SUPPLY_DATE + timedelta(weeks=seed % 50)


def area_bounds(addresses: int) -> tuple[float, float, float, float]:
    """A rectangle around CENTRE sized for the address count (denser past ~1.4M addresses)."""
    area_m2 = max(9.0, addresses / ADDRESSES_PER_KM2) * 1e6
    width = min(MAX_SIDE_M, math.sqrt(area_m2 * 1.2))
    height = min(MAX_SIDE_M * 0.8, area_m2 / width)
    x, y = CENTRE
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def build_plan(seed: int, addresses: int, parish_count: int) -> AreaPlan:
    """The plan for ``addresses`` addresses in ``parish_count`` parishes, from ``seed``."""
    rng = random.Random(f"plan:{seed}")
    bounds = area_bounds(addresses)
    places = _place_settlements(rng, _draft_sizes(rng, addresses), bounds)
    places = _postal_order(places)
    areas = build_areas(rng, places, parish_count, bounds, addresses)
    settlements = _settlements(rng, places, areas)
    return AreaPlan(seed, addresses, supply_date_for(seed), bounds, settlements, areas)


def _draft_sizes(rng: random.Random, total: int) -> list[tuple[str, int]]:
    """Settlement kinds and sizes summing to ``total``, biggest first; the first is a town."""
    first = max(1, round(total * (0.3 if total < 20_000 else 0.08)))
    drafts = [("town", first)]
    ranges = {
        "town": (min(2000.0, total * 0.04), min(25_000.0, total * 0.15)),
        "village": (min(150.0, total * 0.01), min(2000.0, total * 0.04)),
        "hamlet": (min(15.0, total * 0.005), min(120.0, total * 0.02)),
    }
    remaining = total - first
    while remaining > 0:
        kind = rng.choices(tuple(KIND_WEIGHTS), tuple(KIND_WEIGHTS.values()))[0]
        low, high = (max(2.0, value) for value in ranges[kind])
        size = min(remaining, round(math.exp(rng.uniform(math.log(low), math.log(high + 1)))))
        drafts.append((kind, size))
        remaining -= size
    return sorted(drafts, key=lambda draft: -draft[1])


def _radius(kind: str, size: int) -> float:
    area_m2 = size / RULES[kind].density_per_km2 * 1e6
    return max(80.0, math.sqrt(area_m2 / math.pi))


def _place_settlements(
    rng: random.Random, drafts: list[tuple[str, int]], bounds: tuple[float, float, float, float]
) -> list[PlaceSeed]:
    """Centres apart from each other where possible (biggest placed first), named uniquely."""
    names = naming.UniqueNames(rng)
    placed = np.empty((0, 3))
    places: list[PlaceSeed] = []
    for kind, size in drafts:
        radius = _radius(kind, size)
        x, y = _free_spot(rng, placed, radius, bounds)
        placed = np.vstack([placed, (x, y, radius)])
        name = names.place(plain=kind == "town")
        places.append(PlaceSeed(name, kind, x, y, radius, size))
    return places


def _free_spot(
    rng: random.Random, placed: np.ndarray, radius: float, bounds: tuple[float, float, float, float]
) -> tuple[float, float]:
    """A centre whose disc keeps clear of the placed ones; the clearest of 60 tries if none."""
    min_x, min_y, max_x, max_y = bounds
    margin = min(radius + EDGE_MARGIN_M, (max_x - min_x) / 2, (max_y - min_y) / 2)
    best, best_clearance = (0.0, 0.0), -math.inf
    for _ in range(60):
        x = rng.uniform(min_x + margin, max_x - margin)
        y = rng.uniform(min_y + margin, max_y - margin)
        if not len(placed):
            return x, y
        gaps = np.hypot(placed[:, 0] - x, placed[:, 1] - y) - placed[:, 2] - radius
        clearance = float(gaps.min())
        if clearance >= SETTLEMENT_GAP_M:
            return x, y
        if clearance > best_clearance:
            best, best_clearance = (x, y), clearance
    return best


def _nearest_of(place: PlaceSeed, candidates: list[PlaceSeed]) -> PlaceSeed:
    return min(candidates, key=lambda other: math.hypot(other.x - place.x, other.y - place.y))


def _post_towns(places: list[PlaceSeed]) -> list[PlaceSeed]:
    """The biggest towns, about one per 60,000 addresses: Royal Mail's post towns."""
    towns = [place for place in places if place.kind == "town"]
    wanted = max(1, round(sum(place.size for place in places) / ADDRESSES_PER_POST_TOWN))
    return sorted(towns, key=lambda town: -town.size)[:wanted]


def _postal_order(places: list[PlaceSeed]) -> list[PlaceSeed]:
    """Each post town followed by the places it is the post town of, nearest first."""
    post_towns = _post_towns(places)
    ordered: list[PlaceSeed] = []
    for town in post_towns:
        served = [p for p in places if p not in post_towns and _nearest_of(p, post_towns) is town]
        served.sort(key=lambda p: math.hypot(p.x - town.x, p.y - town.y))
        ordered += [town, *served]
    return ordered


def _settlements(
    rng: random.Random, places: list[PlaceSeed], areas: AreaTree
) -> tuple[Settlement, ...]:
    """Turn placed, named places into settlements with their postcodes and identifier blocks."""
    post_towns = _post_towns(places)
    larger = [place for place in places if place.kind != "hamlet"]
    parishes = areas.parishes_at([p.x for p in places], [p.y for p in places])
    sectors = SectorAllocator()
    first_uprn, first_usrn = UPRN_BASE, USRN_BASE
    settlements: list[Settlement] = []
    for index, place in enumerate(places):
        post_town = _nearest_of(place, post_towns)
        parent = _nearest_of(place, [p for p in larger if p is not place] or [place])
        district = areas.district_of_parish(parishes[index])
        settlements.append(
            Settlement(
                index=index,
                kind=place.kind,
                name=place.name,
                x=place.x,
                y=place.y,
                radius=place.radius,
                addresses=place.size,
                town_name=parent.name if place.kind == "hamlet" else place.name,
                post_town=post_town.name,
                parent_village=parent.name,
                custodian=areas.custodian_codes[district],
                administrative_area=areas.districts[district].name,
                nearby_places=_nearby_names(place, larger),
                postcode_slots=_postcode_slots(sectors, place, is_post_town=place is post_town),
                first_uprn=first_uprn,
                first_usrn=first_usrn,
            )
        )
        first_uprn += place.size + rng.randrange(50, 5000)
        first_usrn += place.size + rng.randrange(5, 500)
    return tuple(settlements)


def _postcode_slots(
    sectors: SectorAllocator, place: PlaceSeed, *, is_post_town: bool
) -> tuple[PostcodeSlot, ...]:
    """A post town's own districts, or a share of its post town's rural sectors."""
    most_units = unit_budget(place.kind, place.size)
    if not is_post_town:
        return sectors.rural_slots(most_units)
    slots = sectors.town_slots(place.size // EXPECTED_UNIT_SIZE + 1, most_units)
    sectors.start_rural_district()
    return slots


def _nearby_names(place: PlaceSeed, larger: list[PlaceSeed]) -> tuple[str, ...]:
    others = sorted(
        (p for p in larger if p is not place),
        key=lambda p: math.hypot(p.x - place.x, p.y - place.y),
    )
    return tuple(p.name for p in others[:3])
