-- Requests per council, key, day, endpoint family and status class from $2 to $3 (days,
-- inclusive); $1 one council or NULL for every council.
SELECT k.council_code, k.public_id, u.day, u.family, u.status_class, u.requests
FROM key_usage u
JOIN api_keys k ON k.id = u.key_id
WHERE ($1::text IS NULL OR k.council_code = $1)
  AND u.day BETWEEN $2 AND $3
ORDER BY k.council_code, u.day, k.public_id, u.family, u.status_class
