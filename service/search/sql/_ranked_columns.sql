-- What the ranker reads of each candidate (address_search as s), for {{ranked_columns}}.
s.uprn, s.street, s.places, s.building, s.sao_text, s.pao_number, s.pao_suffix,
       s.pao_end, s.sao_number, s.sao_suffix, s.postcode_key, s.logical_status, s.natural_key,
       s.custodian_code, s.x, s.y
