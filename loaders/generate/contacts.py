"""Routing contacts for the generated areas: a parish clerk for most parishes, a contact for
each ward and district, a few areas with two contacts and some with none.

Email addresses use example.org (reserved, never delivered) and telephone numbers come from
Ofcom's ranges reserved for drama, so no real person is ever contacted.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from pathlib import Path

from loaders.generate import names as naming
from loaders.generate.areas import Area, AreaTree

CONTACT_COLUMNS = ("area_code", "name", "role", "email", "phone", "url")
PARISH_CONTACT_SHARE = 0.85
SECOND_CONTACT_SHARE = 0.05


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"01632 960{rng.randrange(1000):03d}"
    return f"020 7946 0{rng.randrange(1000):03d}"


def _contact(
    rng: random.Random, area: Area, role: str, mailbox: str, domain: str
) -> tuple[str, ...]:
    person = naming.person_name(rng)
    return (area.code, person, role, f"{mailbox}@{domain}", _phone(rng), f"https://{domain}/")


def contact_rows(areas: AreaTree, seed: int) -> Iterator[tuple[str, ...]]:
    """The contact rows: parishes first, then wards, then districts."""
    rng = random.Random(f"{seed}:contacts")
    for parish in areas.parishes:
        if rng.random() >= PARISH_CONTACT_SHARE:
            continue
        domain = f"{_slug(parish.name)}-pc.example.org"
        yield _contact(rng, parish, "Parish Clerk", "clerk", domain)
        if rng.random() < SECOND_CONTACT_SHARE:
            yield _contact(rng, parish, "Chair", "chair", domain)
    for ward in areas.wards:
        domain = f"{_slug(ward.name)}-ward.example.org"
        yield _contact(rng, ward, "Ward Councillor", "councillor", domain)
    for district in areas.districts:
        domain = f"{_slug(district.name)}.example.org"
        yield _contact(rng, district, "Highways Team", "highways", domain)
        yield _contact(rng, district, "Customer Services", "contact", domain)


def write_contacts(areas: AreaTree, seed: int, out_dir: Path) -> Path:
    """Write contacts.csv with its header row; returns its path."""
    path = out_dir / "contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CONTACT_COLUMNS)
        writer.writerows(contact_rows(areas, seed))
    return path
