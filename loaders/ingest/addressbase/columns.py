"""The database type of every AddressBase column, and the check a raw text value must pass before
it is cast. The raw tables in the migrations and the loader's validation both follow this map."""

from __future__ import annotations

import re

from loaders.ingest.addressbase.layout import PREMIUM_COLUMNS

# Premium record types kept in the database, and their tables.
RAW_TABLES: dict[int, str] = {
    11: "abp_street",
    15: "abp_street_descriptor",
    21: "abp_blpu",
    23: "abp_xref",
    24: "abp_lpi",
    28: "abp_delivery_point",
    30: "abp_successor",
    31: "abp_organisation",
    32: "abp_classification",
}

_BIGINT = frozenset({"UPRN", "PARENT_UPRN", "USRN", "SUCCESSOR", "PRO_ORDER", "UDPRN"})
_INTEGER = frozenset(
    {
        "LOCAL_CUSTODIAN_CODE",
        "BLPU_STATE",
        "LOGICAL_STATUS",
        "RPC",
        "SAO_START_NUMBER",
        "SAO_END_NUMBER",
        "PAO_START_NUMBER",
        "PAO_END_NUMBER",
        "BUILDING_NUMBER",
        "USRN_MATCH_INDICATOR",
        "STATE",
        "STREET_SURFACE",
        "STREET_CLASSIFICATION",
        "RECORD_TYPE",
        "VERSION",
        "MULTI_OCC_COUNT",
        "SWA_ORG_REF_NAMING",
        "STREET_TOLERANCE",
    }
)
_DOUBLE = frozenset(
    {
        "X_COORDINATE",
        "Y_COORDINATE",
        "LATITUDE",
        "LONGITUDE",
        "STREET_START_X",
        "STREET_START_Y",
        "STREET_START_LAT",
        "STREET_START_LONG",
        "STREET_END_X",
        "STREET_END_Y",
        "STREET_END_LAT",
        "STREET_END_LONG",
    }
)

# What a raw value must look like to be cast, per database type (NULL always passes).
VALUE_PATTERNS: dict[str, str] = {
    "bigint": r"^[0-9]{1,18}$",
    "integer": r"^-?[0-9]{1,9}$",
    "double precision": r"^-?[0-9]{1,9}(\.[0-9]+)?$",
    "date": (
        r"^[0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
        r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-9]))$"
    ),
}

# Columns without which a record means nothing.
REQUIRED: dict[int, tuple[str, ...]] = {
    11: ("USRN",),
    15: ("USRN", "STREET_DESCRIPTION"),
    21: ("UPRN", "X_COORDINATE", "Y_COORDINATE", "LOGICAL_STATUS"),
    23: ("UPRN", "XREF_KEY"),
    24: ("UPRN", "LPI_KEY", "LOGICAL_STATUS"),
    28: ("UPRN", "UDPRN"),
    30: ("UPRN", "SUCC_KEY"),
    31: ("UPRN", "ORG_KEY"),
    32: ("UPRN", "CLASS_KEY", "CLASSIFICATION_CODE"),
}


def column_type(name: str) -> str:
    """The PostgreSQL type of an AddressBase column, by its name."""
    if name in _BIGINT:
        return "bigint"
    if name in _INTEGER:
        return "integer"
    if name in _DOUBLE:
        return "double precision"
    if re.search(r"_DATE$", name):
        return "date"
    return "text"


def stored_columns(record_id: int) -> tuple[str, ...]:
    """The columns of a record type kept in its raw table: all but RECORD_IDENTIFIER,
    CHANGE_TYPE and PRO_ORDER, which say how to apply a record, not what it holds."""
    return PREMIUM_COLUMNS[record_id][3:]
