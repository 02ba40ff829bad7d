-- The address model from the raw AddressBase Premium tables: one row per BLPU that has an LPI
-- or a delivery point, with its primary LPI (English, approved before provisional before
-- alternative before historic, current before ended, newest first), its delivery point, current
-- AddressBase classification and organisation, and its street's descriptor.
-- Placeholders (table names, from code): {blpu} {lpi} {dpa} {classification} {organisation}
-- {street_descriptor} {target}; {uprn_filter} limits the build to some UPRNs (change-only):
-- a condition on an unqualified uprn column, or true.
-- $1 is the data version id.
INSERT INTO {target} (
    uprn, udprn, parent_uprn, usrn, source, logical_status, lpi_logical_status, blpu_state,
    postal_address, classification_code, custodian_code, country, rpc, x, y, lat, lon, geom,
    postcode, postcode_key,
    organisation_name, department_name, sub_building_name, building_name, building_number,
    dependent_thoroughfare, thoroughfare, double_dependent_locality, dependent_locality,
    post_town, po_box_number, postcode_type, delivery_point_suffix,
    welsh_dependent_thoroughfare, welsh_thoroughfare, welsh_double_dependent_locality,
    welsh_dependent_locality, welsh_post_town,
    lpi_key, language, sao_start_number, sao_start_suffix, sao_end_number, sao_end_suffix,
    sao_text, pao_start_number, pao_start_suffix, pao_end_number, pao_end_suffix, pao_text,
    street_description, locality, town_name, administrative_area, area_name, level,
    official_flag, usrn_match_indicator, lpi_organisation, legal_name,
    address, dpa_address, lpi_address, start_date, last_update_date, entry_date, data_version_id
)
WITH blpu AS (
    SELECT * FROM {blpu} WHERE {uprn_filter}
), lpi AS (
    SELECT DISTINCT ON (l.uprn) l.*
    FROM {lpi} l WHERE {uprn_filter}
    ORDER BY l.uprn, (l.language = 'ENG') DESC,
             array_position(ARRAY[1, 6, 3, 8], l.logical_status), (l.end_date IS NULL) DESC,
             l.last_update_date DESC NULLS LAST, l.lpi_key
), dpa AS (
    SELECT DISTINCT ON (d.uprn) d.*
    FROM {dpa} d WHERE {uprn_filter}
    ORDER BY d.uprn, (d.end_date IS NULL) DESC, d.last_update_date DESC NULLS LAST, d.udprn
), class AS (
    SELECT DISTINCT ON (c.uprn) c.uprn, c.classification_code
    FROM {classification} c
    WHERE c.class_scheme ILIKE 'AddressBase%' AND {uprn_filter}
    ORDER BY c.uprn, (c.end_date IS NULL) DESC, c.start_date DESC NULLS LAST, c.class_key
), org AS (
    SELECT DISTINCT ON (o.uprn) o.uprn, o.organisation, o.legal_name
    FROM {organisation} o WHERE {uprn_filter}
    ORDER BY o.uprn, (o.end_date IS NULL) DESC, o.start_date DESC NULLS LAST, o.org_key
), formatted AS (
    SELECT b.*, l.lpi_key, l.language AS lpi_language, l.logical_status AS lpi_status,
           l.sao_start_number, l.sao_start_suffix, l.sao_end_number, l.sao_end_suffix,
           l.sao_text, l.pao_start_number, l.pao_start_suffix, l.pao_end_number,
           l.pao_end_suffix, l.pao_text, l.usrn, l.area_name, l.level, l.official_flag,
           l.usrn_match_indicator,
           d.udprn, d.organisation_name, d.department_name, d.sub_building_name,
           d.building_name, d.building_number, d.dependent_thoroughfare, d.thoroughfare,
           d.double_dependent_locality, d.dependent_locality, d.post_town, d.po_box_number,
           d.postcode_type, d.delivery_point_suffix, d.welsh_dependent_thoroughfare,
           d.welsh_thoroughfare, d.welsh_double_dependent_locality,
           d.welsh_dependent_locality, d.welsh_post_town, d.postcode AS dpa_postcode,
           c.classification_code, o.organisation AS lpi_organisation, o.legal_name,
           s.street_description, s.locality, s.town_name, s.administrative_area,
           coalesce(nullif(d.postcode, ''), nullif(b.postcode_locator, '')) AS any_postcode
    FROM blpu b
    LEFT JOIN lpi l USING (uprn)
    LEFT JOIN dpa d USING (uprn)
    LEFT JOIN class c USING (uprn)
    LEFT JOIN org o USING (uprn)
    LEFT JOIN {street_descriptor} s ON s.usrn = l.usrn AND s.language = l.language
), lines AS (
    SELECT f.*,
        format_dpa_address(f.organisation_name, f.department_name, f.po_box_number,
            f.sub_building_name, f.building_name, f.building_number, f.dependent_thoroughfare,
            f.thoroughfare, f.double_dependent_locality, f.dependent_locality, f.post_town,
            f.dpa_postcode) AS dpa_line,
        format_lpi_address(f.lpi_organisation, f.sao_text,
            address_number_range(f.sao_start_number, f.sao_start_suffix, f.sao_end_number,
                                 f.sao_end_suffix),
            f.pao_text,
            address_number_range(f.pao_start_number, f.pao_start_suffix, f.pao_end_number,
                                 f.pao_end_suffix),
            f.street_description, f.locality, f.town_name, f.administrative_area,
            f.postcode_locator) AS lpi_line
    FROM formatted f
    WHERE f.lpi_key IS NOT NULL OR f.udprn IS NOT NULL
)
SELECT uprn, udprn, parent_uprn, usrn, 'premium', logical_status, lpi_status, blpu_state,
       addressbase_postal, classification_code, local_custodian_code, country, rpc,
       x_coordinate, y_coordinate,
       coalesce(latitude, ST_Y(ST_Transform(ST_SetSRID(ST_MakePoint(x_coordinate, y_coordinate), 27700), 4326))),
       coalesce(longitude, ST_X(ST_Transform(ST_SetSRID(ST_MakePoint(x_coordinate, y_coordinate), 27700), 4326))),
       ST_SetSRID(ST_MakePoint(x_coordinate, y_coordinate), 27700),
       any_postcode, postcode_key(any_postcode),
       organisation_name, department_name, sub_building_name, building_name, building_number,
       dependent_thoroughfare, thoroughfare, double_dependent_locality, dependent_locality,
       post_town, po_box_number, postcode_type, delivery_point_suffix,
       welsh_dependent_thoroughfare, welsh_thoroughfare, welsh_double_dependent_locality,
       welsh_dependent_locality, welsh_post_town,
       lpi_key, lpi_language, sao_start_number, sao_start_suffix, sao_end_number,
       sao_end_suffix, sao_text, pao_start_number, pao_start_suffix, pao_end_number,
       pao_end_suffix, pao_text, street_description, locality, town_name,
       administrative_area, area_name, level, official_flag, usrn_match_indicator,
       lpi_organisation, legal_name,
       coalesce(dpa_line, lpi_line), dpa_line, lpi_line,
       start_date, last_update_date, entry_date, $1::bigint
FROM lines
