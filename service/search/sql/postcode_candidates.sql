-- Every address in a postcode ($2), best covered by the query's words ($1) first; the
-- filters and limit are numbered as in word_candidates.sql ($3 is unused).
SELECT {{candidate_columns}}
FROM address_search
WHERE postcode_key = $2 AND $3::int[] IS NULL
  {{candidate_filters}}
ORDER BY matched DESC
LIMIT $12
