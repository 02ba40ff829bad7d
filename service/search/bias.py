"""Ranking for the council that asks: among matches whose text fits equally well, those
nearest a point the form gave (``near``: it knows best where the resident is), else the
caller's home area (its custodian codes or its box) first. Pure: a candidate's custodian and
coordinates in, a sort key out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

_AWAY = 10_000_000.0  # more metres than Great Britain is long: outside home sorts after inside


@dataclass(frozen=True)
class Bias:
    """Where the answers should come from first, when the text does not decide."""

    custodians: tuple[int, ...] = ()
    box: tuple[float, float, float, float] | None = None  # BNG minx, miny, maxx, maxy
    point: tuple[float, float] | None = None  # BNG x, y

    @property
    def is_empty(self) -> bool:
        return not (self.custodians or self.box or self.point)

    def nearness(self, candidate: Any) -> float:
        """Smaller first: the metres from the point when one was given; else 0 inside the
        home area (or with none set) and _AWAY outside it."""
        if self.point is not None:
            return math.hypot(candidate["x"] - self.point[0], candidate["y"] - self.point[1])
        return 0.0 if self._at_home(candidate) else _AWAY

    def _at_home(self, candidate: Any) -> bool:
        if not (self.custodians or self.box):
            return True
        if candidate["custodian_code"] in self.custodians:
            return True
        if self.box is None:
            return False
        min_x, min_y, max_x, max_y = self.box
        return bool(min_x <= candidate["x"] <= max_x and min_y <= candidate["y"] <= max_y)
