-- Every address in a postcode ($1, compact key) in natural order: street, then house number
-- numerically, then suffix, then flats numerically (Flat 2 before Flat 10). $2 limit, $3 offset.
SELECT {{address_columns}}, count(*) OVER () AS total
FROM addresses
WHERE postcode_key = $1
ORDER BY {{natural_order}}
LIMIT $2 OFFSET $3
