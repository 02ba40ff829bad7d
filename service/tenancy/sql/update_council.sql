-- Change a council's name or home area; a NULL parameter keeps what is there, except that
-- $5 (clear the home area) empties both parts first.
UPDATE councils SET
    name = coalesce($2, name),
    home_custodians = coalesce($3, CASE WHEN $5 THEN '{}'::integer[] ELSE home_custodians END),
    home_box = CASE WHEN $4::float8[] IS NOT NULL THEN $4
                    WHEN $5 THEN NULL ELSE home_box END
WHERE code = $1
RETURNING code
