-- Each versioned migration applied: its version and the checksum of the text applied.
SELECT version, name, checksum FROM schema_migrations
