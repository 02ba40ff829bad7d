-- Addresses inside a BNG box ($1..$4: min x, min y, max x, max y) in natural order.
-- $5 limit, $6 offset.
SELECT {{address_columns}}, count(*) OVER () AS total
FROM addresses
WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 27700)
ORDER BY {{natural_order}}
LIMIT $5 OFFSET $6
