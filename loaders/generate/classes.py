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

DESCRIPTIONS: dict[str, str] = {
    "RD02": "Detached",
    "RD03": "Semi-Detached",
    "RD04": "Terraced",
    "RD06": "Self Contained Flat (Includes Maisonette / Apartment)",
    "RG02": "Lock-Up Garage / Garage Court",
    "PP": "Property Shell",
    "CR01": "Bank / Financial Service",
    "CR06": "Public House / Bar / Nightclub",
    "CR07": "Restaurant / Cafeteria",
    "CR08": "Shop / Showroom",
    "CR10": "Fast Food Outlet / Takeaway (Hot / Cold)",
    "CO01": "Office / Work Studio",
    "CI01": "Factory / Manufacturing",
    "CI03": "Workshop / Light Industrial",
    "CI04": "Warehouse / Store / Storage Depot",
    "CE03": "Preparatory / First / Primary / Infant / Junior / Middle School",
    "CE04": "Secondary / High School",
    "CC04": "Public / Village Hall / Other Community Facility",
    "CM01": "Dentist",
    "CM02": "General Practice Surgery / Clinic",
    "ZW99CH": "Church",
    "CU01": "Electricity Sub-Station",
    "CT02": "Bus Shelter",
    "CT03": "Car / Coach / Commercial Vehicle / Taxi Parking / Park And Ride Site",
}

# Objects a council addresses that Royal Mail never delivers to: no delivery point record.
NON_POSTAL = frozenset({LOCK_UP_GARAGE, ELECTRICITY_SUBSTATION, BUS_SHELTER, CAR_PARK})
