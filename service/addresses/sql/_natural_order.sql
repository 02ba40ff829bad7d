-- The natural order of addresses, for {{natural_order}}: street, house number as a number,
-- its letter, building, flat number as a number, its letter and name (the stored
-- natural_key, migration 0006), then UPRN. Ranking breaks ties by the same two values.
natural_key, uprn
