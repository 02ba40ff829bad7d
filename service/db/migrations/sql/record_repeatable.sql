-- $1 name, $2 checksum of the text just applied.
INSERT INTO schema_repeatables (name, checksum) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
