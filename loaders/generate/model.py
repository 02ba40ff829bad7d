"""What the generator makes: streets and the addresses on them, before any file format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Street:
    """One street: its gazetteer form (LPI) and the form Royal Mail uses (DPA)."""

    usrn: int
    name: str
    postal_name: str
    locality: str
    town: str
    administrative_area: str
    dependent_locality: str
    double_dependent_locality: str
    post_town: str
    custodian: int
    entry_date: str
    start: tuple[float, float] = (0.0, 0.0)
    end: tuple[float, float] = (0.0, 0.0)
    start_lat_lon: tuple[float, float] = (0.0, 0.0)
    end_lat_lon: tuple[float, float] = (0.0, 0.0)


@dataclass(slots=True)
class AddressableObject:
    """A primary or secondary addressable object (PAO/SAO): number range with suffixes, text."""

    start_number: int | None = None
    start_suffix: str = ""
    end_number: int | None = None
    end_suffix: str = ""
    text: str = ""

    def number_label(self) -> str:
        """The number part as written on a door: ``12``, ``12A``, ``12-14``, or empty."""
        if self.start_number is None:
            return ""
        label = f"{self.start_number}{self.start_suffix}"
        if self.end_number is not None:
            label += f"-{self.end_number}{self.end_suffix}"
        return label


@dataclass(slots=True)
class Organisation:
    """An organisation at an address: the council's form (31 record) and Royal Mail's (28)."""

    name: str
    postal_name: str
    legal_name: str = ""


@dataclass(slots=True)
class DeliveryPoint:
    """The Royal Mail (PAF) view of a postal address; PAF keeps '12A' and '12-14' as names."""

    udprn: int
    sub_building_name: str = ""
    building_name: str = ""
    building_number: int | None = None
    organisation_name: str = ""
    postcode_type: str = "S"
    suffix: str = ""


@dataclass(slots=True)
class Address:
    """One addressable object (a BLPU with its LPI, and a delivery point when postal)."""

    uprn: int
    street: Street
    class_code: str
    entry_date: str
    pao: AddressableObject
    sao: AddressableObject = field(default_factory=AddressableObject)
    parent_uprn: int | None = None
    logical_status: int = 1
    blpu_state: int | None = 2
    postal: str = "D"
    postcode: str = ""
    multi_occupation: int = 0
    rpc: int = 1
    end_date: str = ""
    level: str = ""
    organisation: Organisation | None = None
    delivery: DeliveryPoint | None = None
    former_name: str = ""
    x: float = 0.0
    y: float = 0.0
    lat: float = 0.0
    lon: float = 0.0


@dataclass(slots=True)
class StreetBatch:
    """A street and every address on it, in the order they are written."""

    street: Street
    addresses: list[Address]
