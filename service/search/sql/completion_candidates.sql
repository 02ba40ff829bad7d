-- The addresses the completion keys $1 list (at most 200 each), with what the ranker reads
-- and the displayed address (typeahead ranks on what the resident can see).
SELECT {{ranked_columns}}, a.address
FROM (
    SELECT DISTINCT u.uprn
    FROM search_completions c CROSS JOIN LATERAL unnest(c.uprns) AS u(uprn)
    WHERE c.key = ANY($1::text[])
) listed
JOIN address_search s ON s.uprn = listed.uprn
JOIN addresses a ON a.uprn = listed.uprn
