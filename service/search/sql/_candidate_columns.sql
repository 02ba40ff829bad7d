-- What the ranker reads of each candidate, for {{candidate_columns}}; $1 is every word id
-- of the query, for the coverage count.
uprn, street, places, building, sao_text, pao_number, pao_suffix, pao_end,
       sao_number, sao_suffix, postcode_key, logical_status, natural_key, custodian_code, x, y,
       icount(words & $1::int[]) AS matched
