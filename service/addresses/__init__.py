"""Addresses as the API serves them: lookups by UPRN, postcode, place, and their JSON form."""
