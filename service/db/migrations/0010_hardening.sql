-- Least privilege (issue 15). The role that runs the migrations and the loads (the loader,
-- address_lookup_loader in the managed cluster and docker-compose) owns every table. The
-- service connects as address_lookup_service, which may read the data and write only what
-- counting usage and rate limits need; it cannot change addresses, areas or the schema.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'address_lookup_service') THEN
        IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'the role address_lookup_service does not exist'
                USING HINT = 'Create it first (README, Production setup), or migrate as a '
                             'role allowed to create roles.';
        END IF;
        CREATE ROLE address_lookup_service NOLOGIN;  -- a deployment gives it LOGIN
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO address_lookup_service;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO address_lookup_service;
-- Every table the loader makes from now on (later migrations, and the copies a full load
-- builds and swaps in) can be read by the service too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO address_lookup_service;

-- What the service writes: each key's usage and its share of the rate limits, and when a
-- key was last used (the tables of migration 0007, when present). A later migration that
-- adds a table the service writes grants it there, in the same way.
DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['key_usage', 'key_allowances'] LOOP
        IF to_regclass(tbl) IS NOT NULL THEN
            EXECUTE format('GRANT INSERT, UPDATE ON %I TO address_lookup_service', tbl);
        END IF;
    END LOOP;
    IF to_regclass('api_keys') IS NOT NULL THEN
        GRANT UPDATE (last_used_at) ON api_keys TO address_lookup_service;
    END IF;
END $$;

-- A building named like its organisation (THE GREEN LION, THE GREEN LION, 12 HIGH STREET)
-- is written once in single-line addresses.
CREATE OR REPLACE FUNCTION format_dpa_address(organisation_name text, department_name text,
                                   po_box_number text, sub_building_name text,
                                   building_name text, building_number integer,
                                   dependent_thoroughfare text, thoroughfare text,
                                   double_dependent_locality text, dependent_locality text,
                                   post_town text, postcode text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws(', ',
        nullif(organisation_name, ''), nullif(department_name, ''),
        'PO BOX ' || nullif(po_box_number, ''), nullif(sub_building_name, ''),
        nullif(nullif(building_name, ''), organisation_name), building_number::text,
        nullif(dependent_thoroughfare, ''), nullif(thoroughfare, ''),
        nullif(double_dependent_locality, ''), nullif(dependent_locality, ''),
        nullif(post_town, ''), nullif(postcode, '')), '')
$$;

CREATE OR REPLACE FUNCTION format_lpi_address(organisation text, sao_text text, sao_numbers text,
                                   pao_text text, pao_numbers text, street_description text,
                                   locality text, town_name text, administrative_area text,
                                   postcode text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws(', ',
        nullif(organisation, ''), nullif(sao_text, ''), sao_numbers,
        nullif(nullif(pao_text, ''), organisation), pao_numbers, nullif(street_description, ''),
        nullif(nullif(locality, ''), town_name), nullif(town_name, ''),
        nullif(nullif(administrative_area, ''), town_name), nullif(postcode, '')), '')
$$;

-- Addresses loaded before this migration, written again without the repeated name.
UPDATE addresses
SET dpa_address = format_dpa_address(organisation_name, department_name, po_box_number,
                      sub_building_name, building_name, building_number, dependent_thoroughfare,
                      thoroughfare, double_dependent_locality, dependent_locality, post_town,
                      postcode)
WHERE dpa_address IS NOT NULL AND building_name = organisation_name;
UPDATE addresses
SET lpi_address = format_lpi_address(lpi_organisation, sao_text,
                      address_number_range(sao_start_number, sao_start_suffix, sao_end_number,
                                           sao_end_suffix),
                      pao_text,
                      address_number_range(pao_start_number, pao_start_suffix, pao_end_number,
                                           pao_end_suffix),
                      street_description, locality, town_name, administrative_area, postcode)
WHERE lpi_address IS NOT NULL AND pao_text = lpi_organisation;
UPDATE addresses SET address = coalesce(dpa_address, lpi_address)
WHERE building_name = organisation_name OR pao_text = lpi_organisation;
