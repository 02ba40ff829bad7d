"""The realistic data generator: a fictional area in AddressBase formats, with boundaries."""
