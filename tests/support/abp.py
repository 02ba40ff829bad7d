"""Row builders for small hand-made AddressBase supplies: one line per fact in a test, every
other column a sensible default."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from loaders.ingest.addressbase.layout import PLUS_COLUMNS, PREMIUM_COLUMNS

_DEFAULTS: dict[int, dict[str, Any]] = {
    10: {
        "CUSTODIAN_NAME": "TEST",
        "LOCAL_CUSTODIAN_NAME": "TEST",
        "PROCESS_DATE": "2026-11-01",
        "VOLUME_NUMBER": 1,
        "ENTRY_DATE": "2026-11-01",
        "TIME_STAMP": "00:00:00",
        "VERSION": "2.0",
        "FILE_TYPE": "F",
    },
    11: {"RECORD_TYPE": 1, "STATE": 2, "VERSION": 1, "STREET_START_DATE": "2000-01-01"},
    15: {"LANGUAGE": "ENG", "ADMINISTRATIVE_AREA": "TESTSHIRE", "START_DATE": "2000-01-01"},
    21: {
        "LOGICAL_STATUS": 1,
        "BLPU_STATE": 2,
        "RPC": 1,
        "LOCAL_CUSTODIAN_CODE": 9999,
        "COUNTRY": "E",
        "START_DATE": "2000-01-01",
        "ADDRESSBASE_POSTAL": "D",
        "X_COORDINATE": 450000.0,
        "Y_COORDINATE": 250000.0,
    },
    24: {
        "LANGUAGE": "ENG",
        "LOGICAL_STATUS": 1,
        "START_DATE": "2000-01-01",
        "OFFICIAL_FLAG": "Y",
        "USRN_MATCH_INDICATOR": 1,
    },
    28: {"POSTCODE_TYPE": "S", "START_DATE": "2000-01-01", "PROCESS_DATE": "2026-11-01"},
    31: {"START_DATE": "2000-01-01"},
    32: {
        "CLASS_SCHEME": "AddressBase Premium Classification Scheme",
        "SCHEME_VERSION": "1.0",
        "START_DATE": "2000-01-01",
    },
    99: {"NEXT_VOLUME_NUMBER": 0, "ENTRY_DATE": "2026-11-01", "TIME_STAMP": "00:00:00"},
}


def premium_row(
    record_id: int, change_type: str = "I", pro_order: int = 1, **values: Any
) -> list[str]:
    """One Premium record as CSV fields; keyword names are the official column names."""
    fields = {**_DEFAULTS.get(record_id, {}), **{k.upper(): v for k, v in values.items()}}
    if "CHANGE_TYPE" in PREMIUM_COLUMNS[record_id]:
        fields.setdefault("CHANGE_TYPE", change_type)
        fields.setdefault("PRO_ORDER", pro_order)
    unknown = set(fields) - set(PREMIUM_COLUMNS[record_id])
    assert not unknown, f"record {record_id} has no columns {unknown}"
    row = [str(record_id)]
    for name in PREMIUM_COLUMNS[record_id][1:]:
        value = fields.get(name)
        row.append("" if value is None else str(value))
    return row


def address_records(
    uprn: int,
    *,
    number: int | None = 1,
    street_usrn: int = 100,
    postcode: str = "FX1 1AA",
    change_type: str = "I",
    **dpa: Any,
) -> list[list[str]]:
    """A plain house: BLPU, LPI, delivery point and classification."""
    key = f"9999L{uprn:09d}"
    return [
        premium_row(
            21,
            change_type,
            UPRN=uprn,
            POSTCODE_LOCATOR=postcode,
            X_COORDINATE=450000 + uprn % 1000,
            Y_COORDINATE=250000,
        ),
        premium_row(
            24, change_type, UPRN=uprn, LPI_KEY=key, PAO_START_NUMBER=number, USRN=street_usrn
        ),
        premium_row(
            28,
            change_type,
            UPRN=uprn,
            UDPRN=10_000_000 + uprn,
            BUILDING_NUMBER=number,
            THOROUGHFARE=dpa.pop("thoroughfare", "HIGH STREET"),
            POST_TOWN="TESTTOWN",
            POSTCODE=postcode,
            **dpa,
        ),
        premium_row(
            32, change_type, UPRN=uprn, CLASS_KEY=f"9999C{uprn:09d}", CLASSIFICATION_CODE="RD04"
        ),
    ]


def street_records(
    usrn: int = 100, name: str = "HIGH STREET", town: str = "TESTTOWN"
) -> list[list[str]]:
    return [
        premium_row(11, USRN=usrn),
        premium_row(15, USRN=usrn, STREET_DESCRIPTION=name, TOWN_NAME=town),
    ]


def write_premium(
    path: Path,
    rows: list[list[str]],
    *,
    file_type: str = "F",
    trailer: bool = True,
    line_ending: str = "\n",
    encoding: str = "utf-8",
) -> Path:
    """A Premium file: header, the rows, a trailer counting every line."""
    all_rows = [premium_row(10, FILE_TYPE=file_type), *rows]
    if trailer:
        all_rows.append(premium_row(99, RECORD_COUNT=len(all_rows) + 1))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_ending, quoting=csv.QUOTE_MINIMAL).writerows(all_rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def plus_row(change_type: str = "I", **values: Any) -> list[str]:
    """One AddressBase Plus row; keyword names are the Plus column names."""
    fields = {
        "CHANGE_TYPE": change_type,
        "COUNTRY": "E",
        "STATE": 2,
        "CLASS": "RD04",
        "LOCAL_CUSTODIAN_CODE": 9999,
        "X_COORDINATE": 450000,
        "Y_COORDINATE": 250000,
        "POST_TOWN": "TESTTOWN",
        "TOWN_NAME": "TESTTOWN",
        "STREET_DESCRIPTION": "HIGH STREET",
        "THOROUGHFARE": "HIGH STREET",
        "ADDRESSBASE_POSTAL": "D",
    }
    fields.update({k.upper(): v for k, v in values.items()})
    return ["" if fields.get(name) is None else str(fields[name]) for name in PLUS_COLUMNS]


def write_plus(path: Path, rows: list[list[str]], *, header: bool = True) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(PLUS_COLUMNS)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
