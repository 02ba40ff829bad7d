-- Tenancy: the signatory councils, their API keys, the allowances that limit each key across
-- every service process, and each key's usage.

-- A council that signed up to use the service, by its ONS/GSS code. Its optional home area
-- (local custodian codes and/or a box in British National Grid metres) lets search rank its
-- own addresses first.
CREATE TABLE councils (
    code            text COLLATE "C" PRIMARY KEY,      -- e.g. E07000203
    name            text NOT NULL,
    home_custodians integer[] NOT NULL DEFAULT '{}',
    home_box        float8[],                          -- {minx, miny, maxx, maxy} or NULL
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (home_box IS NULL OR cardinality(home_box) = 4)
);

-- A key is shown once, at creation; only its SHA-256 is kept. public_id is the readable,
-- non-secret part (alpk_… for browser keys, alsk_… for server keys) that listings, logs and
-- usage name. A key is revoked from revoked_at on; a rotated key gets a revoked_at in the
-- future (its grace period) and names its successor.
CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    public_id    text COLLATE "C" NOT NULL UNIQUE,
    council_code text COLLATE "C" NOT NULL REFERENCES councils (code),
    kind         text NOT NULL CHECK (kind IN ('browser', 'server')),
    secret_hash  bytea NOT NULL,
    origins      text[] NOT NULL DEFAULT '{}',
    per_minute   integer NOT NULL CHECK (per_minute > 0),
    per_day      integer NOT NULL CHECK (per_day > 0),
    label        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    replaced_by  text COLLATE "C",
    CHECK (kind = 'server' OR cardinality(origins) > 0),
    CHECK (kind = 'browser' OR cardinality(origins) = 0)
);
CREATE INDEX api_keys_council_code_idx ON api_keys (council_code);

-- How much of a key's allowance for the current window (a UTC minute, a UTC day) has been
-- handed out to service processes. One row per key and period, reset when a new window
-- starts; a process leases a small block with one atomic statement and spends it locally.
CREATE TABLE key_allowances (
    key_id       bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    period_s     integer NOT NULL,                     -- 60 or 86400
    window_start bigint NOT NULL,                      -- epoch seconds
    allowance    integer NOT NULL,                     -- the key's limit for the period
    granted      integer NOT NULL,                     -- handed out so far in this window
    last_grant   integer NOT NULL,                     -- what the latest lease handed out
    PRIMARY KEY (key_id, period_s)
);

-- Answered requests per key, day (UTC), endpoint family and status class (2 = 2xx...),
-- added to in batches by each service process.
CREATE TABLE key_usage (
    key_id       bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    day          date NOT NULL,
    family       text COLLATE "C" NOT NULL,
    status_class smallint NOT NULL,
    requests     bigint NOT NULL,
    PRIMARY KEY (key_id, day, family, status_class)
);
CREATE INDEX key_usage_day_idx ON key_usage (day);
