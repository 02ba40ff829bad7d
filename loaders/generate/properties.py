"""The kinds of property on a street, each made as one or more addresses.

The gazetteer (LPI) form is made first; the Royal Mail form follows PAF's rules: a plain number
is a BUILDING_NUMBER, while ``12A`` and ``12-14`` are BUILDING_NAMEs, and a flat's SAO becomes
a SUB_BUILDING_NAME such as ``FLAT 2``.
"""

from __future__ import annotations

import random

from loaders.generate import classes, words
from loaders.generate import names as naming
from loaders.generate.model import Address, AddressableObject, DeliveryPoint, Organisation, Street
from loaders.generate.plan import UPRN_BASE

FLAT_LETTERS = "ABCDEFGHJKLMNPRSTUVW"
FLOOR_FLATS = ("GROUND FLOOR FLAT", "FIRST FLOOR FLAT", "SECOND FLOOR FLAT", "BASEMENT FLAT")
UDPRN_BASE = 10_000_000


def udprn_for(uprn: int) -> int:
    """The 8-digit UDPRN of a postal address: unique because its UPRN is."""
    return UDPRN_BASE + uprn - UPRN_BASE


def number(value: int, suffix: str = "", end: int | None = None) -> AddressableObject:
    """An addressable object holding a house number, e.g. ``number(12, "A")`` is 12A."""
    return AddressableObject(start_number=value, start_suffix=suffix, end_number=end)


def text(value: str) -> AddressableObject:
    """An addressable object holding only a name, e.g. ``ROSE COTTAGE``."""
    return AddressableObject(text=value)


def postal_form(pao: AddressableObject, sao: AddressableObject) -> DeliveryPoint:
    """The PAF fields of an address from its LPI objects (UDPRN filled in by the caller)."""
    point = DeliveryPoint(udprn=0, sub_building_name=sub_building_name(sao))
    plain = pao.start_number is not None and not pao.start_suffix and pao.end_number is None
    if plain:
        point.building_number = pao.start_number
        point.building_name = pao.text
    else:
        point.building_name = " ".join(part for part in (pao.text, pao.number_label()) if part)
    return point


def sub_building_name(sao: AddressableObject) -> str:
    """``FLAT 2`` for a bare SAO number, the SAO text otherwise."""
    if sao.text:
        return f"{sao.text} {sao.number_label()}".strip()
    return f"FLAT {sao.number_label()}" if sao.start_number is not None else ""


class AddressFactory:
    """Makes addresses for one settlement, numbering UPRNs from its block."""

    def __init__(self, rng: random.Random, first_uprn: int, entry_dates: tuple[str, ...]):
        self.rng = rng
        self.next_uprn = first_uprn
        self._dates = entry_dates

    def address(
        self,
        street: Street,
        class_code: str,
        pao: AddressableObject,
        sao: AddressableObject | None = None,
        parent: Address | None = None,
    ) -> Address:
        """A current, postal address with a new UPRN (callers adjust what differs)."""
        sao = sao or AddressableObject()
        made = Address(
            uprn=self.next_uprn,
            street=street,
            class_code=class_code,
            entry_date=self.rng.choice(self._dates),
            pao=pao,
            sao=sao,
            parent_uprn=parent.uprn if parent else None,
        )
        self.next_uprn += 1
        made.delivery = postal_form(pao, sao)
        made.delivery.udprn = udprn_for(made.uprn)
        if parent is not None:
            parent.multi_occupation += 1
            made.rpc = 2
        return made

    def shell(self, street: Street, pao: AddressableObject) -> Address:
        """A parent building (property shell): a BLPU of its own, no delivery point."""
        made = self.address(street, classes.PROPERTY_SHELL, pao)
        make_non_postal(made)
        return made

    def house(self, street: Street, class_code: str, pao: AddressableObject) -> Address:
        """A dwelling, occasionally provisional (a new build) or historic (demolished)."""
        made = self.address(street, class_code, pao)
        draw = self.rng.random()
        if draw < 0.015:
            self.make_historic(made)
        elif draw < 0.03:
            self.make_provisional(made)
        elif draw < 0.036 and pao.text:
            made.former_name = self.rng.choice(words.HOUSE_NAMES)
        return made

    def make_historic(self, made: Address) -> None:
        """An address that no longer exists: status 8, state 4, an end date, no delivery point."""
        made.logical_status, made.blpu_state = 8, 4
        made.end_date = self.rng.choice(self._dates[len(self._dates) * 3 // 4 :])
        make_non_postal(made)

    def make_provisional(self, made: Address) -> None:
        """A planned or building address: status 6, not yet known to Royal Mail."""
        made.logical_status = 6
        made.blpu_state = self.rng.choice((1, 6))
        made.entry_date = self._dates[-1 - self.rng.randrange(20)]
        made.delivery = None
        made.postal = "L"

    def organisation(self, made: Address, postal_name: str) -> Address:
        """Give an address an organisation, spelled the council's way in the 31 record."""
        council_name = naming.council_spelling(postal_name, self.rng)
        legal = postal_name.replace(" LTD", " LIMITED") if postal_name.endswith(" LTD") else ""
        made.organisation = Organisation(council_name, postal_name, legal)
        if made.delivery is not None:
            made.delivery.organisation_name = postal_name
        return made

    def non_postal_feature(self, street: Street) -> Address:
        """A garage court, substation, bus shelter or car park: addressed but never posted to."""
        label, class_code = self.rng.choice(
            (
                ("GARAGES", classes.LOCK_UP_GARAGE),
                ("ELECTRICITY SUB STATION", classes.ELECTRICITY_SUBSTATION),
                ("BUS SHELTER", classes.BUS_SHELTER),
                ("CAR PARK", classes.CAR_PARK),
            )
        )
        made = self.address(street, class_code, text(f"{label} {self._near(street)}".strip()))
        make_non_postal(made)
        made.blpu_state = None
        return made

    def _near(self, street: Street) -> str:
        return "" if self.rng.random() < 0.6 else f"ADJACENT TO {self.rng.randrange(1, 40)}"

    def flats(
        self, street: Street, parent: Address, count: int, style: str, first_floor: int = 0
    ) -> list[Address]:
        """``count`` flats in ``parent``, numbered 1 upwards in the block's style."""
        made = []
        for index in range(1, count + 1):
            flat = self.address(street, classes.FLAT, parent.pao, flat_sao(style, index), parent)
            flat.level = str(first_floor + (index - 1) // 4) if self.rng.random() < 0.4 else ""
            made.append(flat)
        if made and self.rng.random() < 0.1:
            made[-1].sao = AddressableObject(start_number=count - 1, start_suffix="A")
            made[-1].delivery = postal_form(parent.pao, made[-1].sao)
            made[-1].delivery.udprn = udprn_for(made[-1].uprn)
        return made


def make_non_postal(made: Address) -> None:
    """No delivery point: ADDRESSBASE_POSTAL 'N'."""
    made.delivery = None
    made.postal = "N"


def flat_sao(style: str, index: int) -> AddressableObject:
    """The SAO of the ``index``-th flat of a block written in ``style``."""
    if style == "number":
        return AddressableObject(start_number=index)
    if style == "letter":
        return text(f"FLAT {FLAT_LETTERS[index - 1]}") if index <= 20 else number(index)
    if style == "apartment":
        return text(f"APARTMENT {index}")
    if style == "unit":
        return text(f"UNIT {index}")
    if style == "floor":
        return text(FLOOR_FLATS[index - 1]) if index <= len(FLOOR_FLATS) else number(index)
    return text(f"FLAT {index}")
