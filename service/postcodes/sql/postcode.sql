-- A postcode's centre and address count, by compact key ($1).
SELECT postcode_key, postcode, address_count, x, y, lat, lon FROM postcodes WHERE postcode_key = $1
