-- Where each address of a postcode ($1, compact key) is, in British National Grid.
SELECT x, y FROM addresses WHERE postcode_key = $1
