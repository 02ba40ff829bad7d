-- The address model from typed AddressBase Plus rows (one row per address already). Plus holds
-- current addresses only, so logical status is 1 (approved).
-- Placeholders (table names, from code): {source} {target}. $1 is the data version id.
INSERT INTO {target} (
    uprn, udprn, parent_uprn, usrn, source, logical_status, lpi_logical_status, blpu_state,
    postal_address, classification_code, custodian_code, country, rpc, x, y, lat, lon, geom,
    postcode, postcode_key,
    organisation_name, department_name, sub_building_name, building_name, building_number,
    dependent_thoroughfare, thoroughfare, double_dependent_locality, dependent_locality,
    post_town, po_box_number, postcode_type, delivery_point_suffix,
    welsh_dependent_thoroughfare, welsh_thoroughfare, welsh_double_dependent_locality,
    welsh_dependent_locality, welsh_post_town,
    language, sao_start_number, sao_start_suffix, sao_end_number, sao_end_suffix,
    sao_text, pao_start_number, pao_start_suffix, pao_end_number, pao_end_suffix, pao_text,
    street_description, locality, town_name, administrative_area, area_name, level,
    official_flag, usrn_match_indicator, lpi_organisation, legal_name,
    address, dpa_address, lpi_address, start_date, last_update_date, entry_date, data_version_id
)
SELECT uprn, udprn, parent_uprn, usrn, 'plus', 1, 1, state,
       addressbase_postal, class, local_custodian_code, country, rpc,
       x_coordinate, y_coordinate,
       coalesce(latitude, ST_Y(ST_Transform(ST_SetSRID(ST_MakePoint(x_coordinate, y_coordinate), 27700), 4326))),
       coalesce(longitude, ST_X(ST_Transform(ST_SetSRID(ST_MakePoint(x_coordinate, y_coordinate), 27700), 4326))),
       ST_SetSRID(ST_MakePoint(x_coordinate, y_coordinate), 27700),
       coalesce(nullif(postcode, ''), nullif(postcode_locator, '')),
       postcode_key(coalesce(nullif(postcode, ''), nullif(postcode_locator, ''))),
       rm_organisation_name, department_name, sub_building_name, building_name, building_number,
       dependent_thoroughfare, thoroughfare, double_dependent_locality, dependent_locality,
       post_town, po_box_number, postcode_type, delivery_point_suffix,
       welsh_dependent_thoroughfare, welsh_thoroughfare, welsh_double_dependent_locality,
       welsh_dependent_locality, welsh_post_town,
       CASE WHEN alt_language IS NOT NULL THEN 'ENG' END,
       sao_start_number, sao_start_suffix, sao_end_number, sao_end_suffix, sao_text,
       pao_start_number, pao_start_suffix, pao_end_number, pao_end_suffix, pao_text,
       street_description, locality, town_name, administrative_area, area_name, level,
       official_flag, usrn_match_indicator, la_organisation, legal_name,
       coalesce(dpa_line, lpi_line, 'UPRN ' || uprn), dpa_line, lpi_line,
       la_start_date, last_update_date, entry_date, $1::bigint
FROM (
    SELECT p.*,
        CASE WHEN p.udprn IS NOT NULL THEN format_dpa_address(p.rm_organisation_name,
            p.department_name, p.po_box_number, p.sub_building_name, p.building_name,
            p.building_number, p.dependent_thoroughfare, p.thoroughfare,
            p.double_dependent_locality, p.dependent_locality, p.post_town, p.postcode)
        END AS dpa_line,
        format_lpi_address(p.la_organisation, p.sao_text,
            address_number_range(p.sao_start_number, p.sao_start_suffix, p.sao_end_number,
                                 p.sao_end_suffix),
            p.pao_text,
            address_number_range(p.pao_start_number, p.pao_start_suffix, p.pao_end_number,
                                 p.pao_end_suffix),
            p.street_description, p.locality, p.town_name, p.administrative_area,
            p.postcode_locator) AS lpi_line
    FROM {source} p
) rows
