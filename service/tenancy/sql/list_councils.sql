-- Every council with how many of its keys are in force.
SELECT c.code, c.name, c.home_custodians, c.home_box, c.created_at,
       count(k.id) FILTER (WHERE k.revoked_at IS NULL OR k.revoked_at > now()) AS active_keys
FROM councils c
LEFT JOIN api_keys k ON k.council_code = c.code
GROUP BY c.code
ORDER BY c.code
