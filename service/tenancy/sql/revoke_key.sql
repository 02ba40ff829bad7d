-- Revoke a key from $2 on (now, or the end of a rotation's grace period); a key already
-- revoked earlier keeps its earlier time.
UPDATE api_keys
SET revoked_at = least(coalesce(revoked_at, 'infinity'), $2),
    replaced_by = coalesce($3, replaced_by)
WHERE public_id = $1
RETURNING revoked_at
