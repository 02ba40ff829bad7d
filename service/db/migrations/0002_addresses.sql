-- Addresses: every load recorded as a data version; the raw AddressBase records (kept so that
-- change-only updates can be applied); the address model served by the API; postcodes.
--
-- Loaders never write to these tables row by row during a full load: they build *_next copies,
-- index them and swap them in within one transaction. Index definitions here are the source of
-- truth: the loader copies them onto each new copy.

CREATE TABLE data_versions (
    id           bigserial PRIMARY KEY,
    dataset      text NOT NULL,            -- 'addresses', 'boundaries:<type>', 'contacts'
    kind         text NOT NULL,            -- e.g. 'premium-full', 'premium-change-only', 'plus-full', 'csv'
    status       text NOT NULL CHECK (status IN ('loading', 'live', 'failed')),
    source_files jsonb NOT NULL DEFAULT '[]',  -- [{"name", "bytes", "sha256"}]
    counts       jsonb NOT NULL DEFAULT '{}',  -- per record type: read, loaded, rejected
    rejects_file text,
    message      text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX data_versions_dataset_idx ON data_versions (dataset, id DESC);

CREATE TABLE abp_street (
    usrn bigint,
    record_type integer,
    swa_org_ref_naming integer,
    state integer,
    state_date date,
    street_surface integer,
    street_classification integer,
    version integer,
    street_start_date date,
    street_end_date date,
    last_update_date date,
    record_entry_date date,
    street_start_x double precision,
    street_start_y double precision,
    street_start_lat double precision,
    street_start_long double precision,
    street_end_x double precision,
    street_end_y double precision,
    street_end_lat double precision,
    street_end_long double precision,
    street_tolerance integer
);

CREATE TABLE abp_street_descriptor (
    usrn bigint,
    street_description text,
    locality text,
    town_name text,
    administrative_area text,
    language text,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date
);

CREATE TABLE abp_blpu (
    uprn bigint,
    logical_status integer,
    blpu_state integer,
    blpu_state_date date,
    parent_uprn bigint,
    x_coordinate double precision,
    y_coordinate double precision,
    latitude double precision,
    longitude double precision,
    rpc integer,
    local_custodian_code integer,
    country text,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date,
    addressbase_postal text,
    postcode_locator text,
    multi_occ_count integer
);

CREATE TABLE abp_xref (
    uprn bigint,
    xref_key text,
    cross_reference text,
    version integer,
    source text,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date
);

CREATE TABLE abp_lpi (
    uprn bigint,
    lpi_key text,
    language text,
    logical_status integer,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date,
    sao_start_number integer,
    sao_start_suffix text,
    sao_end_number integer,
    sao_end_suffix text,
    sao_text text,
    pao_start_number integer,
    pao_start_suffix text,
    pao_end_number integer,
    pao_end_suffix text,
    pao_text text,
    usrn bigint,
    usrn_match_indicator integer,
    area_name text,
    level text,
    official_flag text
);

CREATE TABLE abp_delivery_point (
    uprn bigint,
    udprn bigint,
    organisation_name text,
    department_name text,
    sub_building_name text,
    building_name text,
    building_number integer,
    dependent_thoroughfare text,
    thoroughfare text,
    double_dependent_locality text,
    dependent_locality text,
    post_town text,
    postcode text,
    postcode_type text,
    delivery_point_suffix text,
    welsh_dependent_thoroughfare text,
    welsh_thoroughfare text,
    welsh_double_dependent_locality text,
    welsh_dependent_locality text,
    welsh_post_town text,
    po_box_number text,
    process_date date,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date
);

CREATE TABLE abp_successor (
    uprn bigint,
    succ_key text,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date,
    successor bigint
);

CREATE TABLE abp_organisation (
    uprn bigint,
    org_key text,
    organisation text,
    legal_name text,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date
);

CREATE TABLE abp_classification (
    uprn bigint,
    class_key text,
    classification_code text,
    class_scheme text,
    scheme_version text,
    start_date date,
    end_date date,
    last_update_date date,
    entry_date date
);

CREATE UNIQUE INDEX abp_street_pkey ON abp_street (usrn);
CREATE UNIQUE INDEX abp_street_descriptor_pkey ON abp_street_descriptor (usrn, language);
CREATE UNIQUE INDEX abp_blpu_pkey ON abp_blpu (uprn);
CREATE UNIQUE INDEX abp_xref_pkey ON abp_xref (xref_key);
CREATE INDEX abp_xref_uprn_idx ON abp_xref (uprn);
CREATE UNIQUE INDEX abp_lpi_pkey ON abp_lpi (lpi_key);
CREATE INDEX abp_lpi_uprn_idx ON abp_lpi (uprn);
CREATE INDEX abp_lpi_usrn_idx ON abp_lpi (usrn);
CREATE UNIQUE INDEX abp_delivery_point_pkey ON abp_delivery_point (udprn);
CREATE INDEX abp_delivery_point_uprn_idx ON abp_delivery_point (uprn);
CREATE UNIQUE INDEX abp_successor_pkey ON abp_successor (succ_key);
CREATE UNIQUE INDEX abp_organisation_pkey ON abp_organisation (org_key);
CREATE INDEX abp_organisation_uprn_idx ON abp_organisation (uprn);
CREATE UNIQUE INDEX abp_classification_pkey ON abp_classification (class_key);
CREATE INDEX abp_classification_uprn_idx ON abp_classification (uprn);

-- One row per UPRN: the address as the service answers it, with both its postal (delivery
-- point, DPA) and gazetteer (LPI) forms.
CREATE TABLE addresses (
    uprn                    bigint NOT NULL,
    udprn                   bigint,
    parent_uprn             bigint,
    usrn                    bigint,
    source                  text NOT NULL,          -- 'premium', 'plus' or 'csv'
    logical_status          smallint,               -- BLPU: 1 approved, 6 provisional, 8 historic, 9 rejected
    lpi_logical_status      smallint,               -- LPI: 1 approved, 3 alternative, 6 provisional, 8 historic
    blpu_state              smallint,
    postal_address          text,                   -- ADDRESSBASE_POSTAL: D, C, L or N
    classification_code     text COLLATE "C",
    custodian_code          integer,
    country                 text,
    rpc                     smallint,
    x                       double precision NOT NULL,  -- British National Grid (EPSG:27700)
    y                       double precision NOT NULL,
    lat                     double precision NOT NULL,  -- WGS84 (EPSG:4326)
    lon                     double precision NOT NULL,
    geom                    geometry(Point, 27700) NOT NULL,
    postcode                text,                   -- display form, 'HP1 1AB'
    postcode_key            text COLLATE "C",       -- lookup form, 'HP11AB'
    -- postal form (Royal Mail delivery point)
    organisation_name       text,
    department_name         text,
    sub_building_name       text,
    building_name           text,
    building_number         integer,
    dependent_thoroughfare  text,
    thoroughfare            text,
    double_dependent_locality text,
    dependent_locality      text,
    post_town               text,
    po_box_number           text,
    postcode_type           text,
    delivery_point_suffix   text,
    welsh_dependent_thoroughfare text,
    welsh_thoroughfare      text,
    welsh_double_dependent_locality text,
    welsh_dependent_locality text,
    welsh_post_town         text,
    -- gazetteer form (the local authority's LPI)
    lpi_key                 text,
    language                text,
    sao_start_number        integer,
    sao_start_suffix        text,
    sao_end_number          integer,
    sao_end_suffix          text,
    sao_text                text,
    pao_start_number        integer,
    pao_start_suffix        text,
    pao_end_number          integer,
    pao_end_suffix          text,
    pao_text                text,
    street_description      text,
    locality                text,
    town_name               text,
    administrative_area     text,
    area_name               text,
    level                   text,
    official_flag           text,
    usrn_match_indicator    smallint,
    lpi_organisation        text,
    legal_name              text,
    -- single-line forms
    address                 text NOT NULL,          -- postal form when there is one, else gazetteer form
    dpa_address             text,
    lpi_address             text,
    start_date              date,
    last_update_date        date,
    entry_date              date,
    data_version_id         bigint
);
CREATE UNIQUE INDEX addresses_pkey ON addresses (uprn);
CREATE INDEX addresses_postcode_key_idx ON addresses (postcode_key);
CREATE INDEX addresses_parent_uprn_idx ON addresses (parent_uprn) WHERE parent_uprn IS NOT NULL;
CREATE INDEX addresses_usrn_idx ON addresses (usrn);
CREATE INDEX addresses_classification_idx ON addresses (classification_code);
CREATE INDEX addresses_geom_idx ON addresses USING gist (geom);

-- Every postcode that has addresses, with its centre (the mean of its addresses).
CREATE TABLE postcodes (
    postcode_key  text COLLATE "C" NOT NULL,
    postcode      text NOT NULL,
    address_count integer NOT NULL,
    x             double precision NOT NULL,
    y             double precision NOT NULL,
    lat           double precision NOT NULL,
    lon           double precision NOT NULL,
    geom          geometry(Point, 27700) NOT NULL
);
CREATE UNIQUE INDEX postcodes_pkey ON postcodes (postcode_key);
CREATE INDEX postcodes_geom_idx ON postcodes USING gist (geom);

-- Single-line addresses in the style of the OS Places API: every element comma-separated,
-- empty elements left out. Inlinable SQL functions, so a full build formats a million rows fast.
CREATE FUNCTION address_number_range(start_number integer, start_suffix text,
                                     end_number integer, end_suffix text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws('-', nullif(concat(start_number, start_suffix), ''),
                                 nullif(concat(end_number, end_suffix), '')), '')
$$;

-- Postal form: ORGANISATION, DEPARTMENT, PO BOX, SUB-BUILDING, BUILDING NAME, NUMBER,
-- DEPENDENT THOROUGHFARE, THOROUGHFARE, DOUBLE DEPENDENT LOCALITY, DEPENDENT LOCALITY,
-- POST TOWN, POSTCODE.
CREATE FUNCTION format_dpa_address(organisation_name text, department_name text,
                                   po_box_number text, sub_building_name text,
                                   building_name text, building_number integer,
                                   dependent_thoroughfare text, thoroughfare text,
                                   double_dependent_locality text, dependent_locality text,
                                   post_town text, postcode text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws(', ',
        nullif(organisation_name, ''), nullif(department_name, ''),
        'PO BOX ' || nullif(po_box_number, ''), nullif(sub_building_name, ''),
        nullif(building_name, ''), building_number::text,
        nullif(dependent_thoroughfare, ''), nullif(thoroughfare, ''),
        nullif(double_dependent_locality, ''), nullif(dependent_locality, ''),
        nullif(post_town, ''), nullif(postcode, '')), '')
$$;

-- Gazetteer form: ORGANISATION, SAO TEXT, SAO NUMBERS, PAO TEXT, PAO NUMBERS, STREET,
-- LOCALITY, TOWN, ADMINISTRATIVE AREA, POSTCODE (locality and area left out when they repeat
-- the town).
CREATE FUNCTION format_lpi_address(organisation text, sao_text text, sao_numbers text,
                                   pao_text text, pao_numbers text, street_description text,
                                   locality text, town_name text, administrative_area text,
                                   postcode text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws(', ',
        nullif(organisation, ''), nullif(sao_text, ''), sao_numbers,
        nullif(pao_text, ''), pao_numbers, nullif(street_description, ''),
        nullif(nullif(locality, ''), town_name), nullif(town_name, ''),
        nullif(nullif(administrative_area, ''), town_name), nullif(postcode, '')), '')
$$;

-- 'hp19 9bj' -> 'HP199BJ': the compact key every postcode lookup uses.
CREATE FUNCTION postcode_key(postcode text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(upper(regexp_replace(postcode, '\s', '', 'g')), '')
$$;
