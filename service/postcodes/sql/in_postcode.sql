-- Every address in a postcode ($1, compact key) in natural order: street, then house number
-- numerically, then suffix, then flats numerically (Flat 2 before Flat 10), with the
-- postcode's centre on every row (one round trip). $2 limit, $3 offset.
SELECT page.*, p.postcode AS centre_postcode, p.address_count, p.x AS centre_x,
       p.y AS centre_y, p.lat AS centre_lat, p.lon AS centre_lon
FROM postcodes p
CROSS JOIN LATERAL (
    SELECT {{service.addresses:address_columns}}, count(*) OVER () AS total,
           row_number() OVER (ORDER BY {{service.addresses:natural_order}}) AS position
    FROM addresses
    WHERE postcode_key = p.postcode_key
    ORDER BY {{service.addresses:natural_order}}
    LIMIT $2 OFFSET $3
) page
WHERE p.postcode_key = $1
ORDER BY page.position
