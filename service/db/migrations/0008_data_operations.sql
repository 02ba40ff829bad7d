-- Data operations (issue 14): loads that say the truth about what is live, boundaries and
-- contacts kept per data set (one council's load never touches another's), and postcode
-- points for postcodes with no addresses loaded.

-- A version stays 'live' only while its data is what the service answers; a later load of
-- the same dataset marks it 'replaced'. Earlier versions are sorted out here once.
ALTER TABLE data_versions DROP CONSTRAINT data_versions_status_check;
ALTER TABLE data_versions ADD CONSTRAINT data_versions_status_check
    CHECK (status IN ('loading', 'live', 'replaced', 'failed'));

-- Boundaries and contacts now load into a named set: 'boundaries:<type>:<set>' and
-- 'contacts:<set>'. What was loaded before belongs to the set 'default'.
UPDATE data_versions SET dataset = dataset || ':default'
WHERE dataset LIKE 'boundaries:%' AND dataset NOT LIKE 'boundaries:%:%';
UPDATE data_versions SET dataset = 'contacts:default' WHERE dataset = 'contacts';

UPDATE data_versions v SET status = 'replaced'
WHERE v.status = 'live'
  AND EXISTS (SELECT 1 FROM data_versions newer
              WHERE newer.dataset = v.dataset AND newer.status = 'live' AND newer.id > v.id);

-- Areas of one type from several sets lie side by side; a code is unique within its set.
ALTER TABLE areas ADD COLUMN set_name text COLLATE "C" NOT NULL DEFAULT 'default';
DROP INDEX areas_type_code_key;
CREATE UNIQUE INDEX areas_type_set_code_key ON areas (type, set_name, code);

ALTER TABLE area_contacts ADD COLUMN set_name text COLLATE "C" NOT NULL DEFAULT 'default';
CREATE INDEX area_contacts_set_name_idx ON area_contacts (set_name);

-- Postcode points (Code-Point Open, ONSPD): where a postcode is when no address of it is
-- loaded. Keyed like postcodes: compact, upper case.
CREATE TABLE postcode_points (
    postcode_key    text COLLATE "C" PRIMARY KEY,
    postcode        text NOT NULL,                  -- as displayed: 'HP17 8AA'
    x               double precision NOT NULL,      -- British National Grid
    y               double precision NOT NULL,
    quality         integer,                        -- Code-Point's positional quality (10 best)
    source          text NOT NULL,                  -- 'codepoint' or 'onspd'
    data_version_id bigint
);
