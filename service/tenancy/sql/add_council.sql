-- A new signatory council; nothing when the code is taken (the caller then says so).
INSERT INTO councils (code, name, home_custodians, home_box)
VALUES ($1, $2, $3, $4)
ON CONFLICT (code) DO NOTHING
RETURNING code
