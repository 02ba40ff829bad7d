-- Keys as the operator sees them (never their hash), newest first; $1 a council or NULL for
-- all, $2 whether to include revoked keys.
SELECT k.public_id, k.council_code, k.kind, k.origins, k.per_minute, k.per_day, k.label,
       k.created_at, k.last_used_at, k.revoked_at, k.replaced_by
FROM api_keys k
WHERE ($1::text IS NULL OR k.council_code = $1)
  AND ($2 OR k.revoked_at IS NULL OR k.revoked_at > now())
ORDER BY k.created_at DESC, k.id DESC
