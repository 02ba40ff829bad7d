-- A key as a service process holds it, with its council.
SELECT k.id, k.public_id, k.kind, k.secret_hash, k.origins, k.per_minute, k.per_day,
       extract(epoch FROM k.revoked_at)::float8 AS revoked_at,
       c.code AS council_code, c.name AS council_name, c.home_custodians, c.home_box
FROM api_keys k
JOIN councils c ON c.code = k.council_code
