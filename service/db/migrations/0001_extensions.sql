-- The extensions the service relies on:
--   postgis       geometries in British National Grid, spatial indexes
--   pg_trgm       trigram similarity for typo-tolerant token lookup
--   intarray      GIN indexes over integer token arrays
--   fuzzystrmatch levenshtein distance between tokens
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS intarray;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
