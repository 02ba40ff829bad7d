-- Addresses within $3 metres of a BNG point ($1, $2), nearest first. $4 limit.
SELECT {{address_columns}}, ST_Distance(geom, ST_SetSRID(ST_MakePoint($1, $2), 27700)) AS distance
FROM addresses
WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint($1, $2), 27700), $3)
ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 27700), uprn
LIMIT $4
