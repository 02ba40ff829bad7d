"""Address search: pure stages (normalise, parse, rank) around one database stage
(candidates), run by the engine. Loaders import the pure stages, so data and queries are
normalised alike. Postcodes in queries are read by service.postcodes."""
