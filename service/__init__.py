"""Address Lookup: the HTTP service."""
