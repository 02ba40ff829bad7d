-- Addresses by UPRN ($1), in no particular order (callers order them).
SELECT {{address_columns}}
FROM addresses
WHERE uprn = ANY($1::bigint[])
