"""Writing AddressBase Plus: one flat row per address with the 77 ``PLUS_COLUMNS`` and a header.

The rows describe the same addresses as the Premium supply of the same seed; ward and parish
codes come from the generated boundaries (the parish containing the address).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from loaders.generate.areas import AreaTree
from loaders.generate.model import Address, StreetBatch
from loaders.generate.outputs import TextOutput
from loaders.generate.records import csv_field
from loaders.ingest.addressbase.columns import column_type
from loaders.ingest.addressbase.layout import PLUS_COLUMNS

_QUOTED = tuple(column_type(name) == "text" for name in PLUS_COLUMNS)


def plus_file_name(supply_date: date, number: int) -> str:
    """``AddressBasePlus_FULL_2026-11-22_001.csv``."""
    return f"AddressBasePlus_FULL_{supply_date.isoformat()}_{number:03d}.csv"


def plus_values(address: Address, ward_code: str, parish_code: str) -> dict[str, object]:
    """The Plus columns of an address (those left out are empty)."""
    return {
        **_property_values(address),
        **_gazetteer_values(address),
        **_postal_values(address),
        "WARD_CODE": ward_code,
        "PARISH_CODE": parish_code,
    }


def _property_values(address: Address) -> dict[str, object]:
    """The BLPU and classification part of a Plus row."""
    organisation = address.organisation
    return {
        "UPRN": address.uprn,
        "CHANGE_TYPE": "I",
        "STATE": address.blpu_state,
        "STATE_DATE": address.entry_date if address.blpu_state else "",
        "CLASS": address.class_code,
        "PARENT_UPRN": address.parent_uprn,
        "X_COORDINATE": f"{address.x:.2f}",
        "Y_COORDINATE": f"{address.y:.2f}",
        "LATITUDE": address.lat,
        "LONGITUDE": address.lon,
        "RPC": address.rpc,
        "LOCAL_CUSTODIAN_CODE": address.street.custodian,
        "COUNTRY": "E",
        "LA_START_DATE": address.entry_date,
        "LAST_UPDATE_DATE": address.end_date or address.entry_date,
        "ENTRY_DATE": address.entry_date,
        "LA_ORGANISATION": organisation.name if organisation else "",
        "LEGAL_NAME": organisation.legal_name if organisation else "",
        "POSTCODE_LOCATOR": address.postcode,
        "ADDRESSBASE_POSTAL": address.postal,
        "MULTI_OCC_COUNT": address.multi_occupation,
    }


def _gazetteer_values(address: Address) -> dict[str, object]:
    """The LPI and street part of a Plus row."""
    street, sao, pao = address.street, address.sao, address.pao
    return {
        "SAO_START_NUMBER": sao.start_number,
        "SAO_START_SUFFIX": sao.start_suffix,
        "SAO_END_NUMBER": sao.end_number,
        "SAO_END_SUFFIX": sao.end_suffix,
        "SAO_TEXT": sao.text,
        "PAO_START_NUMBER": pao.start_number,
        "PAO_START_SUFFIX": pao.start_suffix,
        "PAO_END_NUMBER": pao.end_number,
        "PAO_END_SUFFIX": pao.end_suffix,
        "PAO_TEXT": pao.text,
        "USRN": street.usrn,
        "USRN_MATCH_INDICATOR": 1,
        "LEVEL": address.level,
        "OFFICIAL_FLAG": "Y",
        "STREET_DESCRIPTION": street.name,
        "LOCALITY": street.locality,
        "TOWN_NAME": street.town,
        "ADMINISTRATIVE_AREA": street.administrative_area,
    }


def _postal_values(address: Address) -> dict[str, object]:
    """The Royal Mail part of a Plus row: empty for an address with no delivery point."""
    point, street = address.delivery, address.street
    if point is None:
        return {}
    return {
        "UDPRN": point.udprn,
        "RM_ORGANISATION_NAME": point.organisation_name,
        "SUB_BUILDING_NAME": point.sub_building_name,
        "BUILDING_NAME": point.building_name,
        "BUILDING_NUMBER": point.building_number,
        "THOROUGHFARE": street.postal_name,
        "DOUBLE_DEPENDENT_LOCALITY": street.double_dependent_locality,
        "DEPENDENT_LOCALITY": street.dependent_locality,
        "POST_TOWN": street.post_town,
        "POSTCODE": address.postcode,
        "POSTCODE_TYPE": point.postcode_type,
        "DELIVERY_POINT_SUFFIX": point.suffix,
        "RM_START_DATE": address.entry_date,
    }


def plus_line(values: dict[str, object]) -> str:
    """A Plus CSV line in ``PLUS_COLUMNS`` order."""
    return ",".join(
        csv_field(values.get(name), quoted)
        for name, quoted in zip(PLUS_COLUMNS, _QUOTED, strict=True)
    )


class PlusWriter:
    """Streams Plus rows into one file (a header row first)."""

    def __init__(self, out_dir: Path, *, supply_date: date, areas: AreaTree, zipped: bool):
        path = out_dir / plus_file_name(supply_date, 1)
        self._output = TextOutput(path, zipped=zipped, stamp=supply_date)
        self._areas = areas
        self.rows = 0
        self._output.write_lines([",".join(PLUS_COLUMNS)])

    def write_street(self, batch: StreetBatch) -> None:
        """One row per address of the street, with the ward and parish it lies in."""
        addresses = batch.addresses
        parishes = self._areas.parishes_at([a.x for a in addresses], [a.y for a in addresses])
        lines = []
        for address, parish_index in zip(addresses, parishes, strict=True):
            parish = self._areas.parishes[parish_index]
            ward = self._areas.wards[parish.parent]
            lines.append(plus_line(plus_values(address, ward.code, parish.code)))
        self._output.write_lines(lines)
        self.rows += len(lines)

    def close(self) -> list[Path]:
        """Finish the file; returns its path."""
        self._output.close()
        return [self._output.path]
