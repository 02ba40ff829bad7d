"""Code lists of AddressBase: what the codes in the data mean, for answers people can read."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

LOGICAL_STATUS = {1: "Approved", 3: "Alternative", 6: "Provisional", 8: "Historical", 9: "Rejected"}
BLPU_STATE = {
    1: "Under construction",
    2: "In use",
    3: "Unoccupied / vacant / derelict",
    4: "Demolished",
    6: "Planning permission granted",
}
POSTAL_ADDRESS = {
    "C": "A record which is linked to PAF",
    "D": "A record which is linked to PAF",
    "L": "A record which is identified as postal based on Local Authority information",
    "N": "Not a postal address",
}
COUNTRY = {
    "E": "This record is within England",
    "W": "This record is within Wales",
    "S": "This record is within Scotland",
    "N": "This record is within Northern Ireland",
    "L": "This record is within the Channel Islands",
    "M": "This record is within the Isle of Man",
    "J": "This record is not assigned to a country as it falls outside of the land boundaries used",
}


@cache
def _classifications() -> dict[str, str]:
    text = (resources.files(__package__) / "classification.csv").read_text(encoding="utf-8")
    return {row["code"]: row["description"] for row in csv.DictReader(text.splitlines())}


def classification_description(code: str | None) -> str | None:
    """What a classification code means; an unlisted code takes its longest listed prefix's
    meaning ('CR08XY' -> 'Shop / Showroom')."""
    if not code:
        return None
    known = _classifications()
    for length in range(len(code), 0, -1):
        if code[:length] in known:
            return known[code[:length]]
    return None
