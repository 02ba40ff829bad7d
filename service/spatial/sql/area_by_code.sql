-- The areas with a code ($1), of one type ($2) or of any, each with its boundary as GeoJSON
-- when $3: in EPSG $4, simplified to $5 metres, with $6 decimal places.
SELECT code, name, type, parent_code, parent_name, parent_type, contacts,
       CASE WHEN $3::boolean THEN ST_AsGeoJSON(
           ST_Multi(ST_Transform(ST_SimplifyPreserveTopology(geom, $5::float8), $4::integer)),
           $6::integer)
       END AS geojson
FROM area_answers
WHERE code = $1 AND ($2::text IS NULL OR type = $2::text)
ORDER BY type
