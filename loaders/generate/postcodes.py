"""Fictional postcodes in the real UK format, handed out in blocks so that they cluster.

The postcode areas used here (FX first, then GX, JX, KX, UX, YX, AX) have letters that are
valid in a UK postcode but are not real postcode areas, so demo data never collides with a real
postcode. A unit is ``FX12 3AB``: district ``FX12``, sector ``FX12 3``, unit letters ``AB``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from service.postcodes.parse import parse_postcode

FICTIONAL_AREAS = ("FX", "GX", "JX", "KX", "UX", "YX", "AX")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the inward code never uses C, I, K, M, O, V
LETTER_PAIRS = tuple(first + second for first in INWARD_LETTERS for second in INWARD_LETTERS)
TOWN_SECTOR_UNITS = 150  # about 3,500 addresses, as in a real sector
TOWN_SECTORS_PER_DISTRICT = 5
RURAL_SECTORS_PER_DISTRICT = 9


def is_valid_postcode(postcode: str) -> bool:
    """True for a postcode written exactly in its display form, e.g. ``FX12 3AB``."""
    parsed = parse_postcode(postcode)
    return parsed is not None and parsed.display == postcode


class PostcodeAreasFull(ValueError):
    """More addresses than the fictional postcode areas can hold."""


@dataclass(frozen=True, slots=True)
class PostcodeSlot:
    """A run of unit letter pairs in one sector that belongs to one settlement."""

    outward: str
    sector: int
    first_pair: int
    count: int


def outward_codes() -> Iterator[str]:
    """FX1 … FX99, then GX1 … and so on: every district this generator may use."""
    for area in FICTIONAL_AREAS:
        for number in range(1, 100):
            yield f"{area}{number}"


class SectorAllocator:
    """Hands out postcode slots: whole sectors for towns, shared rural sectors for villages."""

    def __init__(self) -> None:
        self._outwards = outward_codes()
        self._rural: tuple[str, int, int] | None = None  # outward, sector, next free pair

    def _next_outward(self) -> str:
        try:
            return next(self._outwards)
        except StopIteration:
            raise PostcodeAreasFull("too many addresses for the fictional postcode areas") from None

    def town_slots(self, expected_units: int, most_units: int) -> tuple[PostcodeSlot, ...]:
        """Slots for a town: enough sectors that each holds about TOWN_SECTOR_UNITS units as
        expected, and a reserve in every sector (the later letter pairs) for ``most_units``."""
        sectors = max(-(-expected_units // TOWN_SECTOR_UNITS), -(-most_units // len(LETTER_PAIRS)))
        places: list[tuple[str, int]] = []
        for index in range(sectors):
            if index % TOWN_SECTORS_PER_DISTRICT == 0:
                outward = self._next_outward()
            places.append((outward, 1 + index % TOWN_SECTORS_PER_DISTRICT))
        reserve = len(LETTER_PAIRS) - TOWN_SECTOR_UNITS
        return tuple(
            [PostcodeSlot(out, sector, 0, TOWN_SECTOR_UNITS) for out, sector in places]
            + [PostcodeSlot(out, sector, TOWN_SECTOR_UNITS, reserve) for out, sector in places]
        )

    def start_rural_district(self) -> None:
        """The next rural settlements start a fresh district (one per post town)."""
        self._rural = None

    def rural_slots(self, units: int) -> tuple[PostcodeSlot, ...]:
        """Slots for a village or hamlet, packed after the previous one in a rural sector."""
        slots: list[PostcodeSlot] = []
        while units > 0:
            outward, sector, first = self._rural_position()
            count = min(units, len(LETTER_PAIRS) - first)
            slots.append(PostcodeSlot(outward, sector, first, count))
            self._rural = (outward, sector, first + count)
            units -= count
        return tuple(slots)

    def _rural_position(self) -> tuple[str, int, int]:
        if self._rural is None:
            return self._next_outward(), 1, 0
        outward, sector, first = self._rural
        if first < len(LETTER_PAIRS):
            return outward, sector, first
        if sector < RURAL_SECTORS_PER_DISTRICT:
            return outward, sector + 1, 0
        return self._next_outward(), 1, 0


def unit_postcode(slots: tuple[PostcodeSlot, ...], unit: int) -> str:
    """The postcode of a settlement's ``unit``-th postcode unit (counting from 0)."""
    for slot in slots:
        if unit < slot.count:
            return f"{slot.outward} {slot.sector}{LETTER_PAIRS[slot.first_pair + unit]}"
        unit -= slot.count
    raise ValueError("a settlement used more postcode units than it was given")


def delivery_point_suffix(index: int) -> str:
    """The delivery point suffix of the ``index``-th delivery point in a unit: 1A, 1B, …"""
    return f"{1 + index // len(INWARD_LETTERS)}{INWARD_LETTERS[index % len(INWARD_LETTERS)]}"
