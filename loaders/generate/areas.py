"""Parishes, wards and districts: seed points whose Voronoi cells become the boundaries.

Parish seeds sit where people live (so parishes hold similar numbers of addresses), a ward is a
group of neighbouring parishes and a district a group of neighbouring wards, so parishes nest in
wards and wards in districts exactly. The parish containing a point is its nearest parish seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely

from loaders.generate import words
from loaders.generate.names import UniqueNames

SETTLED_SHARE = 0.85
PARISHES_PER_WARD = 6
ADDRESSES_PER_DISTRICT = 150_000
MAX_DISTRICTS = 12
FIRST_CUSTODIAN_CODE = 8805


@dataclass(frozen=True, slots=True)
class Area:
    """One boundary area: GSS-like code, name, seed point and the index of its parent area."""

    code: str
    name: str
    x: float
    y: float
    parent: int = -1


@dataclass(frozen=True, slots=True)
class PlaceSeed:
    """Where a settlement is, for placing parish seeds: name, kind, centre, radius, size."""

    name: str
    kind: str
    x: float
    y: float
    radius: float
    size: int


@dataclass(frozen=True)
class AreaTree:
    """Parishes inside wards inside districts, with a custodian code and name per district."""

    parishes: tuple[Area, ...]
    wards: tuple[Area, ...]
    districts: tuple[Area, ...]
    custodian_codes: tuple[int, ...] = field(default=())

    @cached_property
    def _parish_tree(self) -> shapely.STRtree:
        return shapely.STRtree(shapely.points([(p.x, p.y) for p in self.parishes]))

    def parishes_at(self, xs: list[float], ys: list[float]) -> list[int]:
        """The index of the parish containing each point (its nearest parish seed)."""
        found = self._parish_tree.query_nearest(shapely.points(xs, ys), all_matches=False)
        order = np.argsort(found[0], kind="stable")
        return [int(index) for index in found[1][order]]

    def district_of_parish(self, parish: int) -> int:
        """The index of the district a parish lies in."""
        return self.wards[self.parishes[parish].parent].parent


def build_areas(
    rng: random.Random,
    places: list[PlaceSeed],
    parish_count: int,
    bounds: tuple[float, float, float, float],
    addresses: int,
) -> AreaTree:
    """Parish seeds near the places, grouped into wards and districts with fictional codes."""
    names = UniqueNames(rng)
    for place in places:
        names.take(place.name)
    seeds = _settled_seeds(rng, places, parish_count, names)
    seeds += _rural_seeds(rng, parish_count - len(seeds), bounds, names)
    ward_seeds = sorted(rng.sample(range(len(seeds)), _ward_count(parish_count)))
    ward_of = _nearest(seeds, [seeds[i] for i in ward_seeds])
    parishes = tuple(
        Area(f"E04{900001 + i}", name, x, y, ward_of[i]) for i, (name, x, y) in enumerate(seeds)
    )
    district_seeds = _spread_out(rng, [seeds[i] for i in ward_seeds], _district_count(addresses))
    ward_points = [seeds[i] for i in ward_seeds]
    district_of = _nearest(ward_points, [ward_points[i] for i in district_seeds])
    wards = tuple(
        Area(f"E05{900001 + i}", parishes[s].name, parishes[s].x, parishes[s].y, district_of[i])
        for i, s in enumerate(ward_seeds)
    )
    districts = _districts(rng, [wards[i] for i in district_seeds])
    codes = tuple(FIRST_CUSTODIAN_CODE + 5 * i for i in range(len(districts)))
    return AreaTree(parishes, wards, districts, codes)


def _ward_count(parish_count: int) -> int:
    return max(min(parish_count, 2), round(parish_count / PARISHES_PER_WARD))


def _district_count(addresses: int) -> int:
    return min(MAX_DISTRICTS, max(2, round(addresses / ADDRESSES_PER_DISTRICT)))


def _settled_seeds(
    rng: random.Random, places: list[PlaceSeed], parish_count: int, names: UniqueNames
) -> list[tuple[str, float, float]]:
    """Each town and village gets a parish while they last, bigger places several."""
    settled = [place for place in places if place.kind != "hamlet"]
    budget = max(1, round(parish_count * SETTLED_SHARE)) if parish_count > 1 else parish_count
    shares = _share_out(budget, [place.size for place in settled])
    seeds: list[tuple[str, float, float]] = []
    for place, share in zip(settled, shares, strict=True):
        if share:
            seeds.append((place.name, place.x, place.y))
        for quarter in range(1, share):
            name = names.numbered(place.name) if quarter <= 4 else names.place()
            seeds.append((name, *_point_in_disc(rng, place.x, place.y, place.radius)))
    return seeds


def _share_out(budget: int, sizes: list[int]) -> list[int]:
    """One each to the biggest while the budget lasts, the rest in proportion to size."""
    shares = [1 if index < budget else 0 for index in range(len(sizes))]
    extra = budget - sum(shares)
    total = sum(sizes) or 1
    exact = [extra * size / total for size in sizes]
    for index, value in enumerate(exact):
        shares[index] += int(value)
    leftover = budget - sum(shares)
    by_remainder = sorted(range(len(sizes)), key=lambda i: (int(exact[i]) - exact[i], i))
    for index in by_remainder[:leftover]:
        shares[index] += 1
    return shares


def _rural_seeds(
    rng: random.Random, count: int, bounds: tuple[float, float, float, float], names: UniqueNames
) -> list[tuple[str, float, float]]:
    min_x, min_y, max_x, max_y = bounds
    return [
        (names.place(), rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)) for _ in range(count)
    ]


def _point_in_disc(rng: random.Random, x: float, y: float, radius: float) -> tuple[float, float]:
    distance = radius * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    return x + distance * math.cos(angle), y + distance * math.sin(angle)


def _nearest(
    points: list[tuple[str, float, float]], centres: list[tuple[str, float, float]]
) -> list[int]:
    """For each point, the index of its nearest centre."""
    tree = shapely.STRtree(shapely.points([(x, y) for _, x, y in centres]))
    found = tree.query_nearest(shapely.points([(x, y) for _, x, y in points]), all_matches=False)
    order = np.argsort(found[0], kind="stable")
    return [int(index) for index in found[1][order]]


def _spread_out(
    rng: random.Random, points: list[tuple[str, float, float]], count: int
) -> list[int]:
    """``count`` indices of well-spread points (farthest-point sampling), in chosen order."""
    coordinates = np.array([(x, y) for _, x, y in points])
    chosen = [rng.randrange(len(points))]
    distances = np.hypot(*(coordinates - coordinates[chosen[0]]).T)
    while len(chosen) < min(count, len(points)):
        chosen.append(int(np.argmax(distances)))
        distances = np.minimum(distances, np.hypot(*(coordinates - coordinates[chosen[-1]]).T))
    return chosen


def _districts(rng: random.Random, seed_wards: list[Area]) -> tuple[Area, ...]:
    used: set[str] = set()
    districts: list[Area] = []
    for index, ward in enumerate(seed_wards):
        name = rng.choice(words.DISTRICT_STYLES).format(_core_name(ward.name))
        if name in used:
            name = f"{name} {index + 1}"
        used.add(name)
        districts.append(Area(f"E07{900001 + index}", name, ward.x, ward.y))
    return tuple(districts)


def _core_name(name: str) -> str:
    """``GREAT ASHBY`` → ``ASHBY``, ``ASHBURY NORTH`` → ``ASHBURY``: a name to build on."""
    return max(name.split(), key=len)
