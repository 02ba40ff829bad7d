"""Filling a street with plots: houses on both sides, blocks of flats, shops, units, farms.

Each plot is one building or parcel with one or more addresses (a block and its flats); the
plots alternate sides of the street, odd numbers on one side and even on the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.generate import classes, words
from loaders.generate import names as naming
from loaders.generate.model import Address, Street
from loaders.generate.plan import Settlement
from loaders.generate.properties import AddressFactory, number, text
from loaders.generate.streets import StreetPlan

HOUSE_MIX = {
    "town": ((classes.TERRACED, 35), (classes.SEMI_DETACHED, 40), (classes.DETACHED, 25)),
    "village": ((classes.DETACHED, 50), (classes.SEMI_DETACHED, 35), (classes.TERRACED, 15)),
    "hamlet": ((classes.DETACHED, 90), (classes.SEMI_DETACHED, 10)),
}
FLAT_STYLES = ("number", "number", "flat", "apartment", "letter")
PlotMaker = Callable[["_Frontage", int], list[Address]]


@dataclass(slots=True)
class Plot:
    """One building or parcel on a street and the addresses it holds."""

    addresses: list[Address]
    side: int
    scattered: bool = False


@dataclass(slots=True)
class _Frontage:
    """Numbering state of the street being filled: next number on each side, names used."""

    street: Street
    house_class: str
    numbers: list[int] = field(default_factory=lambda: [1, 2])
    side: int = 0
    names_used: set[str] = field(default_factory=set)

    def take_number(self, step: int = 2) -> int:
        """The next number on the current side (ranges take two)."""
        value = self.numbers[self.side]
        self.numbers[self.side] += step
        return value


class StreetFiller:
    """Makes the plots of each street of one settlement."""

    def __init__(self, factory: AddressFactory, settlement: Settlement) -> None:
        self._factory = factory
        self._rng = factory.rng
        self._place = settlement
        self._makers: dict[str, PlotMaker] = {
            "residential": self._residential,
            "high street": self._high_street,
            "village centre": self._residential,
            "flats": self._flats_street,
            "industrial": self._industrial,
            "rural": self._rural,
        }

    def fill(self, plan: StreetPlan, quota: int) -> list[Plot]:
        """Plots holding exactly ``quota`` addresses along the planned street."""
        mix = HOUSE_MIX[self._place.kind]
        house_class = self._rng.choices([c for c, _ in mix], [w for _, w in mix])[0]
        frontage = _Frontage(plan.street, house_class)
        plots: list[Plot] = []
        remaining = quota
        if plan.character == "village centre":
            plots, remaining = self._village_centre(frontage, remaining)
        maker = self._makers[plan.character]
        while remaining > 0:
            made = maker(frontage, remaining)
            plots.append(Plot(made, frontage.side, plan.character == "industrial"))
            remaining -= len(made)
            frontage.side = 1 - frontage.side
        return plots

    def _residential(self, frontage: _Frontage, room: int) -> list[Address]:
        """Mostly plain numbered houses; now and then one of the less common plots."""
        draw = self._rng.random()
        for threshold, maker in self._residential_mix:
            if draw < threshold:
                made = maker(frontage, room)
                if made:
                    return made
                break
        return [self._plain_house(frontage)]

    @property
    def _residential_mix(self) -> tuple[tuple[float, PlotMaker], ...]:
        """(cumulative probability, plot maker); a maker returns [] when it does not fit."""
        return (
            (0.012, self._converted_house),
            (0.03, self._town_block),
            (0.05, self._suffix_pair),
            (0.06, self._range_house),
            (0.11, self._named_numbered_house),
            (0.125, self._named_house),
            (0.135, lambda frontage, _: [self._factory.non_postal_feature(frontage.street)]),
            (0.137, lambda frontage, _: [self._school(frontage.street)]),
        )

    def _plain_house(self, frontage: _Frontage) -> Address:
        pao = number(frontage.take_number())
        return self._factory.house(frontage.street, frontage.house_class, pao)

    def _converted_house(self, frontage: _Frontage, room: int) -> list[Address]:
        """A house split into two flats (ground and first floor, or A and B)."""
        if room < 3:
            return []
        factory, street = self._factory, frontage.street
        parent = factory.shell(street, number(frontage.take_number()))
        style = self._rng.choice(("floor", "letter"))
        return [parent, *factory.flats(street, parent, 2, style)]

    def _town_block(self, frontage: _Frontage, room: int) -> list[Address]:
        if room < 5 or self._place.kind != "town":
            return []
        return self._block(frontage, room, with_number=self._rng.random() < 0.4)

    def _suffix_pair(self, frontage: _Frontage, room: int) -> list[Address]:
        """12 and 12A side by side."""
        if room < 2:
            return []
        value, house_class = frontage.take_number(), frontage.house_class
        first = self._factory.house(frontage.street, house_class, number(value))
        return [first, self._factory.house(frontage.street, house_class, number(value, "A"))]

    def _range_house(self, frontage: _Frontage, room: int) -> list[Address]:
        """One house on two plots: 12-14."""
        value = frontage.take_number(step=4)
        pao = number(value, end=value + 2)
        return [self._factory.house(frontage.street, classes.DETACHED, pao)]

    def _named_numbered_house(self, frontage: _Frontage, room: int) -> list[Address]:
        pao = number(frontage.take_number())
        pao.text = self._house_name(frontage)
        return [self._factory.house(frontage.street, frontage.house_class, pao)]

    def _named_house(self, frontage: _Frontage, room: int) -> list[Address]:
        pao = text(self._house_name(frontage))
        return [self._factory.house(frontage.street, classes.DETACHED, pao)]

    def _house_name(self, frontage: _Frontage) -> str:
        for _ in range(10):
            name = self._rng.choice(words.HOUSE_NAMES)
            if name not in frontage.names_used:
                break
        else:
            ending = self._rng.choice(("HOUSE", "COTTAGE", "LODGE", "FARM", "BARN"))
            name = f"{self._rng.choice(words.STREET_ROOTS)} {ending}"
        frontage.names_used.add(name)
        return name

    def _block(self, frontage: _Frontage, room: int, *, with_number: bool) -> list[Address]:
        """A block of flats: the parent building and 4-30 flats, numbered from 1."""
        factory, street = self._factory, frontage.street
        pao = text(naming.building_name(self._rng))
        if with_number:
            pao.start_number = frontage.take_number()
        parent = factory.shell(street, pao)
        count = self._rng.randint(min(4, room - 1), min(30, room - 1))
        flats = factory.flats(street, parent, count, self._rng.choice(FLAT_STYLES))
        return [parent, *flats]

    def _flats_street(self, frontage: _Frontage, room: int) -> list[Address]:
        if room < 5:
            street = frontage.street
            return [self._factory.house(street, classes.TERRACED, number(frontage.take_number()))]
        return self._block(frontage, room, with_number=self._rng.random() < 0.5)

    def _high_street(self, frontage: _Frontage, room: int) -> list[Address]:
        factory, street, draw = self._factory, frontage.street, self._rng.random()
        if draw < 0.5:
            pattern, class_code = self._rng.choice(words.SHOP_PATTERNS)
            shop = factory.address(street, class_code, number(frontage.take_number()))
            factory.organisation(shop, naming.organisation_name(self._rng, pattern, street.town))
            if room >= 2 and self._rng.random() < 0.3:
                return [shop, *factory.flats(street, shop, 1, "floor", first_floor=1)[:1]]
            return [shop]
        if draw < 0.56:
            return [self._pub(street, frontage.take_number())]
        if draw < 0.7 and room >= 5:
            return self._block(frontage, room, with_number=True)
        return self._residential(frontage, room)

    def _industrial(self, frontage: _Frontage, room: int) -> list[Address]:
        factory, street = self._factory, frontage.street
        if room >= 4 and self._rng.random() < 0.5:
            parent = factory.shell(street, text(naming.estate_name(self._rng, street.town)))
            units = factory.flats(street, parent, self._rng.randint(3, min(20, room - 1)), "unit")
            for unit in units:
                self._business(unit)
            return [parent, *units]
        workshop = factory.address(street, classes.WORKSHOP, number(frontage.take_number()))
        return [self._business(workshop)]

    def _business(self, made: Address) -> Address:
        pattern, class_code = self._rng.choice(words.WORKSHOP_PATTERNS)
        made.class_code = class_code
        town = made.street.town
        return self._factory.organisation(made, naming.organisation_name(self._rng, pattern, town))

    def _rural(self, frontage: _Frontage, room: int) -> list[Address]:
        street = frontage.street
        if self._rng.random() < 0.04:
            return [self._factory.non_postal_feature(street)]
        return [self._factory.house(street, classes.DETACHED, text(self._house_name(frontage)))]

    def _village_centre(self, frontage: _Frontage, room: int) -> tuple[list[Plot], int]:
        """The pub, church, hall, school and shop a village centre may have, then houses."""
        street, plots = frontage.street, list[Plot]()
        makers = (self._pub_plot, self._church, self._hall, self._school, self._village_shop)
        for maker in makers:
            if room > len(plots) + 1 and self._rng.random() < 0.6:
                plots.append(Plot([maker(street)], frontage.side))
                frontage.side = 1 - frontage.side
        return plots, room - len(plots)

    def _pub(self, street: Street, house_number: int | None) -> Address:
        name = naming.pub_name(self._rng)
        pao = text(name)
        pao.start_number = house_number
        made = self._factory.address(street, classes.PUBLIC_HOUSE, pao)
        return self._factory.organisation(made, name)

    def _pub_plot(self, street: Street) -> Address:
        return self._pub(street, None)

    def _church(self, street: Street) -> Address:
        saint = naming.saint_name(self._rng)
        made = self._factory.address(street, classes.CHURCH, text(f"{saint} CHURCH"))
        return self._factory.organisation(made, f"{saint} CHURCH")

    def _hall(self, street: Street) -> Address:
        made = self._factory.address(street, classes.VILLAGE_HALL, text("VILLAGE HALL"))
        return self._factory.organisation(made, f"{street.town} VILLAGE HALL")

    def _school(self, street: Street) -> Address:
        if self._rng.random() < 0.3 and self._place.kind == "town":
            name, class_code = f"{street.town} ACADEMY", classes.SECONDARY_SCHOOL
        elif self._rng.random() < 0.5:
            name, class_code = f"{street.town} PRIMARY SCHOOL", classes.PRIMARY_SCHOOL
        else:
            saint = naming.saint_name(self._rng)
            name, class_code = f"{saint} C OF E PRIMARY SCHOOL", classes.PRIMARY_SCHOOL
        made = self._factory.address(street, class_code, text(name))
        self._factory.organisation(made, name.replace(" C OF E ", " CHURCH OF ENGLAND "))
        if made.organisation is not None:
            made.organisation.name = name
        return made

    def _village_shop(self, street: Street) -> Address:
        name = self._rng.choice((f"{street.town} STORES", "POST OFFICE", f"{street.town} SURGERY"))
        class_code = classes.SURGERY if name.endswith("SURGERY") else classes.SHOP
        made = self._factory.address(street, class_code, text(name))
        return self._factory.organisation(made, name)
