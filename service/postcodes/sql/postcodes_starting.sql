-- Postcodes whose compact key starts with $1 (an outward code, a sector, or more), in order.
-- $2 limit.
SELECT postcode_key, postcode, address_count, x, y, lat, lon
FROM postcodes WHERE postcode_key LIKE $1 || '%'
ORDER BY postcode_key
LIMIT $2
