-- What the ranker reads of the typeahead candidates chosen from the completion lists ($1).
SELECT {{ranked_columns}}
FROM address_search s
WHERE s.uprn = ANY($1::bigint[])
