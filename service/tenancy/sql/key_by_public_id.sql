SELECT id, public_id, council_code, kind, origins, per_minute, per_day, label, revoked_at
FROM api_keys
WHERE public_id = $1
