-- How many addresses a postcode ($1, compact key) has.
SELECT count(*) FROM addresses WHERE postcode_key = $1
