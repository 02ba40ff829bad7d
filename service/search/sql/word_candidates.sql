-- Candidate addresses holding a word of each of two word-id sets ($2, $3; $3 repeats $2 when
-- one set is selective enough), best covered first. $1: every word id of the query, for the
-- coverage count. $4..$11: filters, each NULL when not asked for. $12: how many.
SELECT {{candidate_columns}}
FROM address_search
WHERE words && $2::int[] AND words && $3::int[]
  {{candidate_filters}}
ORDER BY matched DESC
LIMIT $12
