"""Where a settlement's streets run and what they are called.

Streets branch off the previous street, so neighbouring streets come one after another (and so
do their postcodes); every few streets the layout jumps to the next neighbourhood, sweeping round
the settlement so that postcode sectors come out as wedges, as real ones often are.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from loaders.generate import names as naming
from loaders.generate import words
from loaders.generate.model import Street
from loaders.generate.plan import RULES, Settlement

Point = tuple[float, float]

FIRST_STREETS = {
    "town": ("HIGH STREET",),
    "village": ("THE STREET", "HIGH STREET", "MAIN STREET", "CHURCH LANE", "THE GREEN"),
    "hamlet": ("THE GREEN", "MILL LANE", "CHURCH LANE", "BACK LANE", "THE STREET"),
}


@dataclass(frozen=True, slots=True)
class StreetPlan:
    """A street about to be filled: its records, where it runs and what kind of street it is."""

    street: Street
    character: str
    jumped: bool


class StreetLayout:
    """Lays out one settlement's streets one at a time, each near the one before."""

    def __init__(self, rng: random.Random, settlement: Settlement, entry_dates: tuple[str, ...]):
        self._rng = rng
        self._place = settlement
        self._rules = RULES[settlement.kind]
        self._entry_dates = entry_dates
        self._used_names: set[str] = set()
        self._count = 0
        self._previous: tuple[Point, Point] | None = None
        expected_streets = settlement.addresses / (self._rules.max_street * 0.45) + 1
        self._expected_jumps = max(1.0, expected_streets / self._rules.streets_per_neighbourhood)
        self._neighbourhoods = self._pick_neighbourhoods()

    def _pick_neighbourhoods(self) -> list[tuple[str, bool]]:
        if self._place.kind != "town":
            return []
        count = min(len(words.NEIGHBOURHOODS), max(2, self._place.addresses // 4000))
        chosen = self._rng.sample(words.NEIGHBOURHOODS, count)
        return [(name, self._rng.random() < 0.5) for name in chosen]

    def next_street(self, usrn: int, addresses: int) -> StreetPlan:
        """The next street, holding ``addresses`` addresses."""
        jumped = self._previous is None or self._count % self._rules.streets_per_neighbourhood == 0
        start, heading = self._jump() if jumped else self._branch()
        end = self._end(start, heading, addresses)
        self._previous = (start, end)
        self._count += 1
        street = self._street(usrn, start, end)
        return StreetPlan(street, self._character(start), jumped)

    def _jump(self) -> tuple[Point, float]:
        jump = self._count // self._rules.streets_per_neighbourhood
        angle = 2 * math.pi * (jump + self._rng.random() * 0.6) / self._expected_jumps
        reach = 0.1 if self._count == 0 else 0.85  # the first street is the centre's
        distance = self._place.radius * reach * math.sqrt(self._rng.random())
        start = (
            self._place.x + distance * math.cos(angle),
            self._place.y + distance * math.sin(angle),
        )
        return start, self._rng.uniform(0, 2 * math.pi)

    def _branch(self) -> tuple[Point, float]:
        assert self._previous is not None
        (x0, y0), (x1, y1) = self._previous
        along = self._rng.random()
        start = (x0 + along * (x1 - x0), y0 + along * (y1 - y0))
        heading = math.atan2(y1 - y0, x1 - x0) + self._rng.choice((-1, 1)) * math.pi / 2
        return start, heading + self._rng.uniform(-0.3, 0.3)

    def _end(self, start: Point, heading: float, addresses: int) -> Point:
        """Where a street of this many addresses ends, pulled back inside the settlement."""
        length = min(max(40.0, addresses / 2 * self._rules.frontage_m), 1.6 * self._place.radius)
        x = start[0] + length * math.cos(heading)
        y = start[1] + length * math.sin(heading)
        limit = self._place.radius * 0.95
        reach = math.hypot(x - self._place.x, y - self._place.y)
        if reach > limit:
            x = self._place.x + (x - self._place.x) * limit / reach
            y = self._place.y + (y - self._place.y) * limit / reach
        if math.hypot(x - start[0], y - start[1]) < 10:
            x, y = (start[0] * 3 + self._place.x) / 4, (start[1] * 3 + self._place.y) / 4 + 15
        return x, y

    def _street(self, usrn: int, start: Point, end: Point) -> Street:
        place = self._place
        name = self._unique_name()
        locality, postal_locality = self._neighbourhood(start)
        dependent, double_dependent = self._postal_localities(postal_locality)
        return Street(
            usrn=usrn,
            name=name,
            postal_name=naming.postal_spelling(name, self._rng),
            locality=place.name if place.kind == "hamlet" else locality,
            town=place.town_name,
            administrative_area=place.administrative_area,
            dependent_locality=dependent,
            double_dependent_locality=double_dependent,
            post_town=place.post_town,
            custodian=place.custodian,
            entry_date=self._rng.choice(self._entry_dates[: len(self._entry_dates) // 3]),
            start=(round(start[0], 2), round(start[1], 2)),
            end=(round(end[0], 2), round(end[1], 2)),
        )

    def _unique_name(self) -> str:
        if self._count == 1:
            name = self._rng.choice(FIRST_STREETS[self._place.kind])
        else:
            name = naming.street_name(self._rng, self._place.nearby_places)
        for _ in range(60):
            if name not in self._used_names:
                break
            name = naming.street_name(self._rng, self._place.nearby_places)
        else:
            name = f"{self._rng.choice(words.STREET_ROOTS)} {name}"
        self._used_names.add(name)
        return name

    def _neighbourhood(self, start: Point) -> tuple[str, str]:
        """The LPI locality of a town street, and the same when Royal Mail uses it too."""
        dx, dy = start[0] - self._place.x, start[1] - self._place.y
        if not self._neighbourhoods or math.hypot(dx, dy) < 0.3 * self._place.radius:
            return "", ""
        turn = (math.atan2(dy, dx) % (2 * math.pi)) / (2 * math.pi)
        name, postal = self._neighbourhoods[int(turn * len(self._neighbourhoods))]
        return name, name if postal else ""

    def _postal_localities(self, town_locality: str) -> tuple[str, str]:
        """DEPENDENT_LOCALITY and DOUBLE_DEPENDENT_LOCALITY as Royal Mail writes them."""
        place = self._place
        if place.name == place.post_town:
            return town_locality, ""
        if place.kind != "hamlet":
            return place.name, ""
        if place.parent_village != place.post_town and self._rng.random() < 0.5:
            return place.parent_village, place.name
        return place.name, ""

    def _character(self, start: Point) -> str:
        """What the street is like: residential, high street, flats, industrial or rural."""
        kind, draw = self._place.kind, self._rng.random()
        if self._count == 1:
            return "high street" if kind == "town" else "village centre"
        if kind == "hamlet":
            return "rural"
        if kind == "village":
            return "rural" if draw < 0.3 else "residential"
        return self._town_character(start, draw)

    def _town_character(self, start: Point, draw: float) -> str:
        """Shops near the centre, industry on the edge, flats anywhere, mostly houses."""
        reach = math.hypot(start[0] - self._place.x, start[1] - self._place.y) / self._place.radius
        choices = (
            (reach < 0.35 and draw < 0.25, "high street"),
            (draw < 0.08, "flats"),
            (reach > 0.6 and draw < 0.14, "industrial"),
        )
        return next((character for chosen, character in choices if chosen), "residential")
