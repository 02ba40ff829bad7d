-- Every column an address answer needs (all but the geometry), for {{address_columns}}.
uprn, udprn, parent_uprn, usrn, source, logical_status, lpi_logical_status, blpu_state,
       postal_address, classification_code, custodian_code, country, rpc, x, y, lat, lon,
       postcode, postcode_key, organisation_name, department_name, sub_building_name,
       building_name, building_number, dependent_thoroughfare, thoroughfare,
       double_dependent_locality, dependent_locality, post_town, po_box_number,
       postcode_type, delivery_point_suffix, welsh_dependent_thoroughfare, welsh_thoroughfare,
       welsh_double_dependent_locality, welsh_dependent_locality, welsh_post_town, lpi_key,
       language, sao_start_number, sao_start_suffix, sao_end_number, sao_end_suffix, sao_text,
       pao_start_number, pao_start_suffix, pao_end_number, pao_end_suffix, pao_text,
       street_description, locality, town_name, administrative_area, area_name, level,
       official_flag, usrn_match_indicator, lpi_organisation, legal_name, address, dpa_address,
       lpi_address, start_date, last_update_date, entry_date
