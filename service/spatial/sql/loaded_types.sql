-- The area types that have areas loaded.
SELECT type FROM area_types
