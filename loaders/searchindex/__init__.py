"""The address search index, built from the address model."""
