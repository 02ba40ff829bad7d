"""Area types and how they nest: the known hierarchy parish -> ward -> district -> county, and
custom types (waste_round, ...) that nest only where the operator says so."""

from __future__ import annotations

from collections.abc import Collection, Mapping

# Known types, smallest first: answers list them in this order, then custom types by name.
HIERARCHY = ("parish", "ward", "district", "county")


def type_rank(area_type: str) -> tuple[int, str]:
    """Sort key: hierarchy types from smallest up, then custom types alphabetically."""
    if area_type in HIERARCHY:
        return HIERARCHY.index(area_type), ""
    return len(HIERARCHY), area_type


def parent_type_of(
    area_type: str, loaded: Collection[str], declared: Mapping[str, str | None]
) -> str | None:
    """The type whose areas are this type's parents: the one declared for it (--parent-type)
    if loaded; else, for a hierarchy type, the next loaded type up the hierarchy (a parish's
    parent is its ward, or its district when no wards are loaded); else none."""
    chosen = declared.get(area_type)
    if chosen:
        return chosen if chosen in loaded else None
    if area_type not in HIERARCHY:
        return None
    above = HIERARCHY[HIERARCHY.index(area_type) + 1 :]
    return next((candidate for candidate in above if candidate in loaded), None)
