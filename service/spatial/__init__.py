"""Spatial capabilities: coordinate systems and Great Britain checks (crs), the one parser of
the points, boxes and systems requests give (inputs), what an area lookup asks (lookup), and
which areas contain a point, an address or a postcode (areas, postcode_areas)."""
