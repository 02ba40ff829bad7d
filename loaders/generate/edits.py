"""The edits a change-only supply carries for one address: updates of several kinds, a delete,
and new houses. Each returns the changed records with their CHANGE_TYPE (I, U or D).
"""

from __future__ import annotations

import random
from dataclasses import replace

from loaders.generate import names as naming
from loaders.generate import words
from loaders.generate.model import Address, AddressableObject, DeliveryPoint, Organisation
from loaders.generate.postcodes import delivery_point_suffix
from loaders.generate.premium import Change
from loaders.generate.properties import postal_form, udprn_for
from loaders.generate.records import (
    address_records,
    blpu,
    delivery_point,
    lpi,
    organisation,
)


class AddressEditor:
    """Makes the records of each kind of edit, dated on the change-only supply's date."""

    def __init__(self, rng: random.Random, change_date: str) -> None:
        self._rng = rng
        self.change_date = change_date

    def update_kinds(self, address: Address) -> list[str]:
        """The updates that make sense for this address."""
        kinds = []
        if address.organisation is not None:
            kinds.append("organisation renamed")
        if address.pao.start_number is not None and not address.pao.text and not address.sao.text:
            kinds.append("house named")
        if address.logical_status == 1 and address.multi_occupation == 0:
            kinds += ["made historic", "new postcode"]
        if address.logical_status == 6:
            kinds.append("approved")
        return kinds

    def update(self, address: Address, kind: str, postcodes: list[str]) -> list[Change]:
        """Apply an update of ``kind`` to ``address``; the changed records."""
        if kind == "organisation renamed":
            return self._rename_organisation(address)
        if kind == "house named":
            return self._name_house(address)
        if kind == "made historic":
            return self._make_historic(address)
        if kind == "new postcode":
            return self._new_postcode(address, postcodes)
        return self._approve(address)

    def delete(self, address: Address) -> list[Change]:
        """Every record of the address, deleted (classification first, BLPU last)."""
        records = address_records(address, self.change_date)
        return [("D", record) for record in reversed(records)]

    def insert(self, address: Address) -> list[Change]:
        """Every record of a new address."""
        return [("I", record) for record in address_records(address, self.change_date)]

    def _dated(self, values: dict[str, object]) -> dict[str, object]:
        values["LAST_UPDATE_DATE"] = self.change_date
        return values

    def _rename_organisation(self, address: Address) -> list[Change]:
        pattern, _ = self._rng.choice(words.SHOP_PATTERNS)
        new_name = naming.organisation_name(self._rng, pattern, address.street.town)
        legal = new_name.replace(" LTD", " LIMITED") if new_name.endswith(" LTD") else ""
        address.organisation = Organisation(new_name, new_name, legal)
        changes: list[Change] = [("U", (31, self._dated(organisation(address))))]
        if address.delivery is not None:
            address.delivery.organisation_name = new_name
            changes.append(("U", (28, self._dated(delivery_point(address, self.change_date)))))
        return changes

    def _name_house(self, address: Address) -> list[Change]:
        address.pao = replace(address.pao, text=self._rng.choice(words.HOUSE_NAMES))
        changes: list[Change] = [("U", (24, self._dated(lpi(address))))]
        if address.delivery is not None:
            address.delivery = _keep_identity(
                address.delivery, postal_form(address.pao, address.sao)
            )
            changes.append(("U", (28, self._dated(delivery_point(address, self.change_date)))))
        return changes

    def _make_historic(self, address: Address) -> list[Change]:
        gone = address.delivery
        address.logical_status, address.blpu_state = 8, 4
        address.end_date, address.postal = self.change_date, "N"
        changes: list[Change] = [
            ("U", (21, self._dated(blpu(address)))),
            ("U", (24, self._dated(lpi(address)))),
        ]
        if gone is not None:
            changes.append(("D", (28, delivery_point(address, self.change_date))))
            address.delivery = None
        return changes

    def _new_postcode(self, address: Address, postcodes: list[str]) -> list[Change]:
        others = [postcode for postcode in postcodes if postcode != address.postcode]
        if not others:
            return self._name_house(address) if not address.pao.text else []
        address.postcode = self._rng.choice(others)
        changes: list[Change] = [("U", (21, self._dated(blpu(address))))]
        if address.delivery is not None:
            address.delivery.suffix = delivery_point_suffix(60 + self._rng.randrange(100))
            changes.append(("U", (28, self._dated(delivery_point(address, self.change_date)))))
        return changes

    def _approve(self, address: Address) -> list[Change]:
        address.logical_status, address.blpu_state, address.postal = 1, 2, "D"
        address.delivery = postal_form(address.pao, address.sao)
        address.delivery.udprn = udprn_for(address.uprn)
        address.delivery.suffix = delivery_point_suffix(60 + self._rng.randrange(100))
        return [
            ("U", (21, self._dated(blpu(address)))),
            ("U", (24, self._dated(lpi(address)))),
            ("I", (28, delivery_point(address, self.change_date))),
        ]

    def new_house(self, template: Address, uprn: int, pao: AddressableObject) -> Address:
        """A new house next to ``template`` on its street: approved and postal, or provisional."""
        house = Address(
            uprn=uprn,
            street=template.street,
            class_code=template.class_code,
            entry_date=self.change_date,
            pao=pao,
            postcode=template.postcode,
            x=round(template.x + self._rng.uniform(-15, 15), 2),
            y=round(template.y + self._rng.uniform(-15, 15), 2),
        )
        if self._rng.random() < 0.3:
            house.logical_status, house.blpu_state, house.postal = 6, 1, "L"
        else:
            house.delivery = postal_form(pao, house.sao)
            house.delivery.udprn = udprn_for(uprn)
            house.delivery.suffix = delivery_point_suffix(60 + uprn % 100)
        return house


def _keep_identity(old: DeliveryPoint, new: DeliveryPoint) -> DeliveryPoint:
    new.udprn, new.suffix, new.organisation_name = old.udprn, old.suffix, old.organisation_name
    new.postcode_type = old.postcode_type
    return new
