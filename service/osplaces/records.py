"""Address rows as OS Places result records: a DPA (Royal Mail) and an LPI (gazetteer) record
with OS's field names, value types and code-list descriptions. Empty fields are left out, as
OS does."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.addresses.present import location
from service.reference import (
    BLPU_STATE,
    COUNTRY,
    LOGICAL_STATUS,
    POSTAL_ADDRESS,
    classification_description,
)
from service.spatial.crs import WGS84

STREET_STATE = {1: "Under construction", 2: "Open", 4: "Permanently closed"}
STREET_CLASSIFICATION = {
    4: "Pedestrian way or footpath",
    6: "Cycletrack or cycleway",
    8: "All vehicles",
    9: "Restricted byway",
    10: "Bridleway",
}
STATUS_WORDS = {1: "APPROVED", 3: "ALTERNATIVE", 6: "PROVISIONAL", 8: "HISTORICAL", 9: "REJECTED"}


def os_date(value: date | None) -> str | None:
    """Dates as OS Places writes them: dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def match_description(score: float) -> str:
    """OS Places' words for a match score."""
    if score >= 0.95:
        return "EXACT"
    if score >= 0.8:
        return "GOOD"
    return "MATCH" if score >= 0.6 else "PARTIAL"


def coordinates(row: Any, srs: int) -> dict[str, Any]:
    """X_COORDINATE/Y_COORDINATE for BNG and Web Mercator; LNG/LAT for WGS84."""
    where = location(row, srs)
    if srs == WGS84:
        return {"LNG": where["lon"], "LAT": where["lat"]}
    return {"X_COORDINATE": round(where["x"], 2), "Y_COORDINATE": round(where["y"], 2)}


def _blpu_fields(row: Any, areas: dict[str, str]) -> dict[str, Any]:
    """What the DPA and the LPI record of an address share (its BLPU and codes)."""
    status = row["logical_status"]
    state = row["blpu_state"]
    return {
        "RPC": _text(row["rpc"]),
        "STATUS": STATUS_WORDS.get(status),
        "LOGICAL_STATUS_CODE": _text(status),
        "CLASSIFICATION_CODE": row["classification_code"],
        "CLASSIFICATION_CODE_DESCRIPTION": classification_description(row["classification_code"]),
        "LOCAL_CUSTODIAN_CODE": row["custodian_code"],
        "COUNTRY_CODE": row["country"],
        "COUNTRY_CODE_DESCRIPTION": COUNTRY.get(row["country"] or ""),
        "POSTAL_ADDRESS_CODE": row["postal_address"],
        "POSTAL_ADDRESS_CODE_DESCRIPTION": POSTAL_ADDRESS.get(row["postal_address"] or ""),
        "BLPU_STATE_CODE": _text(state),
        "BLPU_STATE_CODE_DESCRIPTION": BLPU_STATE.get(state) if state else "Unknown/Not applicable",
        "WARD_CODE": areas.get("ward"),
        "PARISH_CODE": areas.get("parish"),
        "PARENT_UPRN": _text(row["parent_uprn"]),
        "LAST_UPDATE_DATE": os_date(row["last_update_date"]),
        "ENTRY_DATE": os_date(row["entry_date"]),
    }


def dpa_record(row: Any, srs: int, *, welsh: bool, areas: dict[str, str]) -> dict[str, Any]:
    """The DPA (Royal Mail delivery point) record of an address."""

    def pick(english: str, welsh_name: str) -> Any:
        return (row[welsh_name] or row[english]) if welsh else row[english]

    fields = {
        "UPRN": str(row["uprn"]),
        "UDPRN": _text(row["udprn"]),
        "ADDRESS": row["dpa_address"],
        "PO_BOX_NUMBER": row["po_box_number"],
        "ORGANISATION_NAME": row["organisation_name"],
        "DEPARTMENT_NAME": row["department_name"],
        "SUB_BUILDING_NAME": row["sub_building_name"],
        "BUILDING_NAME": row["building_name"],
        "BUILDING_NUMBER": _text(row["building_number"]),
        "DEPENDENT_THOROUGHFARE_NAME": pick(
            "dependent_thoroughfare", "welsh_dependent_thoroughfare"
        ),
        "THOROUGHFARE_NAME": pick("thoroughfare", "welsh_thoroughfare"),
        "DOUBLE_DEPENDENT_LOCALITY": pick(
            "double_dependent_locality", "welsh_double_dependent_locality"
        ),
        "DEPENDENT_LOCALITY": pick("dependent_locality", "welsh_dependent_locality"),
        "POST_TOWN": pick("post_town", "welsh_post_town"),
        "POSTCODE": row["postcode"],
        **coordinates(row, srs),
        **_blpu_fields(row, areas),
        "LANGUAGE": "CY" if welsh and row["welsh_post_town"] else "EN",
        "DELIVERY_POINT_SUFFIX": row["delivery_point_suffix"],
    }
    return {key: value for key, value in fields.items() if value is not None}


def lpi_record(row: Any, srs: int, *, areas: dict[str, str]) -> dict[str, Any]:
    """The LPI (local authority gazetteer) record of an address."""
    lpi_status = row["lpi_logical_status"]
    fields = {
        "UPRN": str(row["uprn"]),
        "ADDRESS": row["lpi_address"],
        "USRN": _text(row["usrn"]),
        "LPI_KEY": row["lpi_key"],
        "ORGANISATION": row["lpi_organisation"],
        "SAO_START_NUMBER": _text(row["sao_start_number"]),
        "SAO_START_SUFFIX": row["sao_start_suffix"],
        "SAO_END_NUMBER": _text(row["sao_end_number"]),
        "SAO_END_SUFFIX": row["sao_end_suffix"],
        "SAO_TEXT": row["sao_text"],
        "PAO_START_NUMBER": _text(row["pao_start_number"]),
        "PAO_START_SUFFIX": row["pao_start_suffix"],
        "PAO_END_NUMBER": _text(row["pao_end_number"]),
        "PAO_END_SUFFIX": row["pao_end_suffix"],
        "PAO_TEXT": row["pao_text"],
        "STREET_DESCRIPTION": row["street_description"],
        "LOCALITY_NAME": row["locality"],
        "TOWN_NAME": row["town_name"],
        "ADMINISTRATIVE_AREA": row["administrative_area"],
        "AREA_NAME": row["area_name"],
        "POSTCODE_LOCATOR": row["postcode"],
        **coordinates(row, srs),
        **_blpu_fields(row, areas),
        "LEGAL_NAME": row["legal_name"],
        "STREET_STATE_CODE": _text(row["street_state"]),
        "STREET_STATE_CODE_DESCRIPTION": STREET_STATE.get(row["street_state"]),
        "STREET_CLASSIFICATION_CODE": _text(row["street_classification"]),
        "STREET_CLASSIFICATION_CODE_DESCRIPTION": STREET_CLASSIFICATION.get(
            row["street_classification"]
        ),
        "LPI_LOGICAL_STATUS_CODE": _text(lpi_status),
        "LPI_LOGICAL_STATUS_CODE_DESCRIPTION": LOGICAL_STATUS.get(lpi_status)
        if lpi_status
        else None,
        "LANGUAGE": "EN",
    }
    return {key: value for key, value in fields.items() if value is not None}


def with_match(record: dict[str, Any], score: float, precision: int) -> dict[str, Any]:
    """The record with its MATCH (truncated to the requested decimals) and description."""
    factor = 10**precision
    record["MATCH"] = int(score * factor) / factor
    record["MATCH_DESCRIPTION"] = match_description(score)
    return record
