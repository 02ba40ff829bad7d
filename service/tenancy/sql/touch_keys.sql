-- When each key was last used (never moved backwards by a slower process's batch).
UPDATE api_keys k
SET last_used_at = greatest(k.last_used_at, t.used_at)
FROM unnest($1::bigint[], $2::timestamptz[]) AS t (id, used_at)
WHERE k.id = t.id
