"""Bringing data in: AddressBase, plain CSV, boundaries and contacts, and the address model."""
