"""The AddressBase Premium classification codes the generator uses (a subset of the real scheme)."""

from __future__ import annotations

CLASS_SCHEME = "AddressBase Premium Classification Scheme"
SCHEME_VERSION = "1.0"

DETACHED = "RD02"
SEMI_DETACHED = "RD03"
TERRACED = "RD04"
FLAT = "RD06"
LOCK_UP_GARAGE = "RG02"
PROPERTY_SHELL = "PP"
SHOP = "CR08"
PUBLIC_HOUSE = "CR06"
OFFICE = "CO01"
WORKSHOP = "CI03"
PRIMARY_SCHOOL = "CE03"
SECONDARY_SCHOOL = "CE04"
VILLAGE_HALL = "CC04"
SURGERY = "CM02"
CHURCH = "ZW99CH"
ELECTRICITY_SUBSTATION = "CU01"
BUS_SHELTER = "CT02"
CAR_PARK = "CT03"


# Objects a council addresses that Royal Mail never delivers to: no delivery point record.
