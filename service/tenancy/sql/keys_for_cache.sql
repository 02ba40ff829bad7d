-- Every key a service process must know: those in force and those revoked in the last week
-- (so that a caller still using one hears it was revoked, not that it is unknown).
{{cached_key}}
WHERE k.revoked_at IS NULL OR k.revoked_at > now() - interval '7 days'
