-- Postcodes by compact key ($1), for bulk lookups.
SELECT postcode_key, postcode, address_count, x, y, lat, lon
FROM postcodes WHERE postcode_key = ANY($1::text[])
