-- A new key; nothing when its random public id is already taken (the caller draws again).
INSERT INTO api_keys (public_id, council_code, kind, secret_hash, origins, per_minute, per_day,
                      label)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (public_id) DO NOTHING
RETURNING id
