"""Address search: pure stages (normalise, postcode, parse, rank) around one database stage
(candidates). Loaders import the pure stages, so data and queries are normalised alike."""
