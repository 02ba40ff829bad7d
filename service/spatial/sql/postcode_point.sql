-- Where a postcode ($1, compact key) is by its postcode point (Code-Point Open or ONSPD), in
-- British National Grid: the answer for a postcode none of whose addresses is loaded.
SELECT x, y FROM postcode_points WHERE postcode_key = $1
