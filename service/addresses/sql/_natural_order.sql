-- Natural address order, for {{natural_order}}: street, then house number numerically,
-- then suffix, then flats numerically (Flat 2 before Flat 10).
coalesce(thoroughfare, street_description), coalesce(pao_start_number, building_number),
         coalesce(pao_start_suffix, ''), coalesce(pao_text, building_name, ''),
         sao_start_number NULLS FIRST, coalesce(sao_start_suffix, ''), coalesce(sao_text, sub_building_name, ''), uprn
