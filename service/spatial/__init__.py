"""Spatial capabilities: coordinate systems and Great Britain checks (crs), and which areas
contain a point, an address or a postcode (areas)."""
