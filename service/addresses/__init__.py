"""Addresses as the API serves them: lookups by UPRN, near a point and in a box, their JSON
form, and the one natural order of addresses (sql/_natural_order.sql)."""
