"""Addresses as JSON: the native answer shape, with coordinates in the requested system."""

from __future__ import annotations

from typing import Any

from service.reference import LOGICAL_STATUS, classification_description
from service.spatial.crs import BNG, WGS84, bng_to

Row = Any


def location(row: Row, srs: int) -> dict[str, Any]:
    """Where an address is, in the requested system (27700 metres, 4326 degrees, 3857 metres)."""
    if srs == BNG:  # to the centimetre, as the data: a postcode's centre is a mean
        return {"srs": BNG, "x": round(row["x"], 2), "y": round(row["y"], 2)}
    if srs == WGS84:
        return {"srs": WGS84, "lat": round(row["lat"], 7), "lon": round(row["lon"], 7)}
    x, y = bng_to(row["x"], row["y"], srs)
    return {"srs": srs, "x": round(x, 2), "y": round(y, 2)}


def _number_range(
    start: int | None, start_suffix: str | None, end: int | None, end_suffix: str | None
) -> dict[str, Any] | None:
    if start is None and not start_suffix and end is None:
        return None
    return {
        "start_number": start,
        "start_suffix": start_suffix,
        "end_number": end,
        "end_suffix": end_suffix,
    }


def postal_parts(row: Row) -> dict[str, Any] | None:
    """The Royal Mail (delivery point) form, or None for a non-postal address."""
    if row["dpa_address"] is None:
        return None
    return {
        "address": row["dpa_address"],
        "udprn": row["udprn"],
        "organisation_name": row["organisation_name"],
        "department_name": row["department_name"],
        "sub_building_name": row["sub_building_name"],
        "building_name": row["building_name"],
        "building_number": row["building_number"],
        "po_box_number": row["po_box_number"],
        "dependent_thoroughfare": row["dependent_thoroughfare"],
        "thoroughfare": row["thoroughfare"],
        "double_dependent_locality": row["double_dependent_locality"],
        "dependent_locality": row["dependent_locality"],
        "post_town": row["post_town"],
        "postcode": row["postcode"],
    }


def gazetteer_parts(row: Row) -> dict[str, Any] | None:
    """The local authority (LPI) form, or None when the data has only a postal form."""
    if row["lpi_address"] is None:
        return None
    return {
        "address": row["lpi_address"],
        "organisation": row["lpi_organisation"],
        "sao": {
            **(
                _number_range(
                    row["sao_start_number"],
                    row["sao_start_suffix"],
                    row["sao_end_number"],
                    row["sao_end_suffix"],
                )
                or {}
            ),
            "text": row["sao_text"],
        },
        "pao": {
            **(
                _number_range(
                    row["pao_start_number"],
                    row["pao_start_suffix"],
                    row["pao_end_number"],
                    row["pao_end_suffix"],
                )
                or {}
            ),
            "text": row["pao_text"],
        },
        "street_description": row["street_description"],
        "locality": row["locality"],
        "town_name": row["town_name"],
        "administrative_area": row["administrative_area"],
        "logical_status": row["lpi_logical_status"],
    }


def address_json(row: Row, srs: int) -> dict[str, Any]:
    """The full native answer for one address."""
    status = row["logical_status"]
    return {
        "uprn": row["uprn"],
        "address": row["address"],
        "postcode": row["postcode"],
        "parent_uprn": row["parent_uprn"],
        "usrn": row["usrn"],
        "classification": {
            "code": row["classification_code"],
            "description": classification_description(row["classification_code"]),
        },
        "status": {"code": status, "description": LOGICAL_STATUS.get(status)},
        "postal": postal_parts(row),
        "gazetteer": gazetteer_parts(row),
        "custodian_code": row["custodian_code"],
        "country": row["country"],
        "location": location(row, srs),
    }


def summary_json(row: Row, srs: int) -> dict[str, Any]:
    """The light answer for typeahead: enough to show and to choose."""
    return {
        "uprn": row["uprn"],
        "address": row["address"],
        "postcode": row["postcode"],
        "location": location(row, srs),
    }
