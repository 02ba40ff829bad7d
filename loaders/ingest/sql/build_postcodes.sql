-- Every postcode with addresses, centred on the mean of its addresses. Historic addresses count
-- only when a postcode has nothing else, so a postcode's centre follows its live addresses.
-- Placeholders (table names, from code): {source} {target}.
INSERT INTO {target} (postcode_key, postcode, address_count, x, y, lat, lon, geom)
SELECT postcode_key, min(postcode), count(*), avg(x), avg(y), avg(lat), avg(lon),
       ST_SetSRID(ST_MakePoint(avg(x), avg(y)), 27700)
FROM (
    SELECT a.*, bool_or(a.logical_status IS DISTINCT FROM 8) OVER (PARTITION BY a.postcode_key) AS has_live
    FROM {source} a
    WHERE a.postcode_key IS NOT NULL
) s
WHERE logical_status IS DISTINCT FROM 8 OR NOT has_live
GROUP BY postcode_key
