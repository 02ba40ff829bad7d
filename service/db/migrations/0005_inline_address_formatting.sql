-- The single-line formatting functions were declared IMMUTABLE, but concat_ws and concat are
-- only STABLE, so PostgreSQL refused to inline them and ran each as a separate function call:
-- 15 of the 30 seconds it took to build a million addresses. Declared STABLE (which they are),
-- they are inlined into the build query.
CREATE OR REPLACE FUNCTION address_number_range(start_number integer, start_suffix text,
                                     end_number integer, end_suffix text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws('-', nullif(concat(start_number, start_suffix), ''),
                                 nullif(concat(end_number, end_suffix), '')), '')
$$;

-- Postal form: ORGANISATION, DEPARTMENT, PO BOX, SUB-BUILDING, BUILDING NAME, NUMBER,
-- DEPENDENT THOROUGHFARE, THOROUGHFARE, DOUBLE DEPENDENT LOCALITY, DEPENDENT LOCALITY,
-- POST TOWN, POSTCODE.
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
        nullif(building_name, ''), building_number::text,
        nullif(dependent_thoroughfare, ''), nullif(thoroughfare, ''),
        nullif(double_dependent_locality, ''), nullif(dependent_locality, ''),
        nullif(post_town, ''), nullif(postcode, '')), '')
$$;

-- Gazetteer form: ORGANISATION, SAO TEXT, SAO NUMBERS, PAO TEXT, PAO NUMBERS, STREET,
-- LOCALITY, TOWN, ADMINISTRATIVE AREA, POSTCODE (locality and area left out when they repeat
-- the town).
CREATE OR REPLACE FUNCTION format_lpi_address(organisation text, sao_text text, sao_numbers text,
                                   pao_text text, pao_numbers text, street_description text,
                                   locality text, town_name text, administrative_area text,
                                   postcode text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(concat_ws(', ',
        nullif(organisation, ''), nullif(sao_text, ''), sao_numbers,
        nullif(pao_text, ''), pao_numbers, nullif(street_description, ''),
        nullif(nullif(locality, ''), town_name), nullif(town_name, ''),
        nullif(nullif(administrative_area, ''), town_name), nullif(postcode, '')), '')
$$;
