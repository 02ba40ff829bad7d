-- For each text a query may stand for ($2), the longest stored completion key it starts
-- with; $1 holds every prefix of the texts, so this is one probe of the key index per prefix.
WITH stored AS (
    SELECT key, saturated FROM search_completions WHERE key = ANY($1::text[])
)
SELECT DISTINCT ON (t.text) t.text, s.key, s.saturated
FROM unnest($2::text[]) AS t(text)
JOIN stored s ON starts_with(t.text, s.key)
ORDER BY t.text, length(s.key) DESC
