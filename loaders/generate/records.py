"""AddressBase Premium records of a street and of an address, as column → value maps, and the
CSV line of a record laid out by ``PREMIUM_COLUMNS``.

Text is double-quoted as Ordnance Survey does; numbers, dates and times are bare; empty fields
are empty. Record keys (LPI_KEY, ORG_KEY, CLASS_KEY) are the custodian code, a letter and a
9-digit number taken from the UPRN, so they stay the same in a later change-only supply.
"""

from __future__ import annotations

from loaders.generate import classes
from loaders.generate.model import Address, Street
from loaders.generate.plan import UPRN_BASE
from loaders.ingest.addressbase.columns import column_type
from loaders.ingest.addressbase.layout import PREMIUM_COLUMNS

Values = dict[str, object]
Record = tuple[int, Values]

_BARE_TEXT = frozenset(
    {
        "RECORD_IDENTIFIER",
        "VERSION",
        "SCHEME_VERSION",
        "TIME_STAMP",
        "LOCAL_CUSTODIAN_NAME",
        "VOLUME_NUMBER",
        "NEXT_VOLUME_NUMBER",
        "RECORD_COUNT",
        "CUSTODIAN_UPRN",
    }
)

_LAYOUTS: dict[int, tuple[tuple[str, bool], ...]] = {
    record_id: tuple(
        (name, column_type(name) == "text" and name not in _BARE_TEXT) for name in columns[1:]
    )
    for record_id, columns in PREMIUM_COLUMNS.items()
}


def csv_field(value: object, quoted: bool) -> str:
    """One CSV field: empty for None or '', double-quoted when ``quoted``, else bare."""
    if value is None or value == "":
        return ""
    return f'"{value}"' if quoted else str(value)


def premium_line(record_id: int, values: Values) -> str:
    """The CSV line of a record; columns missing from ``values`` are empty."""
    fields = [csv_field(values.get(name), quoted) for name, quoted in _LAYOUTS[record_id]]
    return f"{record_id}," + ",".join(fields)


def key(address: Address, letter: str, number: int) -> str:
    """A record key such as ``8805L000123456``: custodian code, letter, 9-digit number."""
    return f"{address.street.custodian}{letter}{number:09d}"


def _serial(address: Address) -> int:
    return address.uprn - UPRN_BASE


def street_records(street: Street) -> list[Record]:
    """The 11 (street) and 15 (street descriptor) records of a street."""
    dates = street.entry_date
    street_values: Values = {
        "USRN": street.usrn,
        "RECORD_TYPE": 1,
        "SWA_ORG_REF_NAMING": street.custodian,
        "STATE": 2,
        "STATE_DATE": dates,
        "STREET_SURFACE": 1,
        "STREET_CLASSIFICATION": 8,
        "VERSION": 1,
        "STREET_START_DATE": dates,
        "LAST_UPDATE_DATE": dates,
        "RECORD_ENTRY_DATE": dates,
        "STREET_START_X": f"{street.start[0]:.2f}",
        "STREET_START_Y": f"{street.start[1]:.2f}",
        "STREET_START_LAT": street.start_lat_lon[0],
        "STREET_START_LONG": street.start_lat_lon[1],
        "STREET_END_X": f"{street.end[0]:.2f}",
        "STREET_END_Y": f"{street.end[1]:.2f}",
        "STREET_END_LAT": street.end_lat_lon[0],
        "STREET_END_LONG": street.end_lat_lon[1],
        "STREET_TOLERANCE": 10,
    }
    descriptor: Values = {
        "USRN": street.usrn,
        "STREET_DESCRIPTION": street.name,
        "LOCALITY": street.locality,
        "TOWN_NAME": street.town,
        "ADMINISTRATIVE_AREA": street.administrative_area,
        "LANGUAGE": "ENG",
        "START_DATE": dates,
        "LAST_UPDATE_DATE": dates,
        "ENTRY_DATE": dates,
    }
    return [(11, street_values), (15, descriptor)]


def address_records(address: Address, process_date: str) -> list[Record]:
    """Every record of an address, in writing order: 21, 24 (one or two), 28, 31, 32."""
    records: list[Record] = [(21, blpu(address)), (24, lpi(address))]
    if address.former_name:
        records.append((24, former_lpi(address)))
    if address.delivery is not None:
        records.append((28, delivery_point(address, process_date)))
    if address.organisation is not None:
        records.append((31, organisation(address)))
    records.append((32, classification(address)))
    return records


def _dates(address: Address) -> Values:
    return {
        "START_DATE": address.entry_date,
        "END_DATE": address.end_date,
        "LAST_UPDATE_DATE": address.end_date or address.entry_date,
        "ENTRY_DATE": address.entry_date,
    }


def blpu(address: Address) -> Values:
    """The 21 (BLPU) record: the property, where it is, its status and postcode locator."""
    return {
        "UPRN": address.uprn,
        "LOGICAL_STATUS": address.logical_status,
        "BLPU_STATE": address.blpu_state,
        "BLPU_STATE_DATE": address.entry_date if address.blpu_state else "",
        "PARENT_UPRN": address.parent_uprn,
        "X_COORDINATE": f"{address.x:.2f}",
        "Y_COORDINATE": f"{address.y:.2f}",
        "LATITUDE": address.lat,
        "LONGITUDE": address.lon,
        "RPC": address.rpc,
        "LOCAL_CUSTODIAN_CODE": address.street.custodian,
        "COUNTRY": "E",
        **_dates(address),
        "ADDRESSBASE_POSTAL": address.postal,
        "POSTCODE_LOCATOR": address.postcode,
        "MULTI_OCC_COUNT": address.multi_occupation,
    }


def lpi(address: Address) -> Values:
    """The 24 (LPI) record: the council's form of the address on its street."""
    sao, pao = address.sao, address.pao
    return {
        "UPRN": address.uprn,
        "LPI_KEY": key(address, "L", _serial(address) * 2),
        "LANGUAGE": "ENG",
        "LOGICAL_STATUS": address.logical_status,
        **_dates(address),
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
        "USRN": address.street.usrn,
        "USRN_MATCH_INDICATOR": 1,
        "LEVEL": address.level,
        "OFFICIAL_FLAG": "Y",
    }


def former_lpi(address: Address) -> Values:
    """A historic LPI (status 8) for the name a house had before, ended when the new began."""
    values = lpi(address)
    values.update(
        {
            "LPI_KEY": key(address, "L", _serial(address) * 2 + 1),
            "LOGICAL_STATUS": 8,
            "START_DATE": address.street.entry_date,
            "END_DATE": address.entry_date,
            "PAO_TEXT": address.former_name,
            "OFFICIAL_FLAG": "",
        }
    )
    return values


def delivery_point(address: Address, process_date: str) -> Values:
    """The 28 (delivery point) record: Royal Mail's form, with its post town and postcode."""
    point, street = address.delivery, address.street
    assert point is not None
    return {
        "UPRN": address.uprn,
        "UDPRN": point.udprn,
        "ORGANISATION_NAME": point.organisation_name,
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
        "PROCESS_DATE": process_date,
        **_dates(address),
    }


def organisation(address: Address) -> Values:
    """The 31 (organisation) record: the council's name for the organisation there."""
    found = address.organisation
    assert found is not None
    return {
        "UPRN": address.uprn,
        "ORG_KEY": key(address, "O", _serial(address)),
        "ORGANISATION": found.name,
        "LEGAL_NAME": found.legal_name,
        **_dates(address),
    }


def classification(address: Address) -> Values:
    """The 32 (classification) record: what the property is used for."""
    return {
        "UPRN": address.uprn,
        "CLASS_KEY": key(address, "C", _serial(address)),
        "CLASSIFICATION_CODE": address.class_code,
        "CLASS_SCHEME": classes.CLASS_SCHEME,
        "SCHEME_VERSION": classes.SCHEME_VERSION,
        **_dates(address),
    }
