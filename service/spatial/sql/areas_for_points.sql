-- The areas containing each point ($1 xs, $2 ys: British National Grid), one per type, of the
-- types $3 (NULL: every type). The lookup is the function areas_at_points (areas_at_points.sql
-- beside this), which forces the generic plan: as a plain statement PostgreSQL would plan it
-- afresh on every call.
SELECT ord, code, name, type, parent_code, parent_name, parent_type, contacts
FROM areas_at_points($1::float8[], $2::float8[], $3::text[])
