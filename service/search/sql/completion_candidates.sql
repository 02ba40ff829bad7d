-- Typeahead candidates in one statement. For each text a query may stand for ($2), the
-- longest stored completion key it starts with ($1 holds every prefix of the texts: one probe
-- of the key index each); then the addresses those keys list, with what choosing the few worth
-- ranking reads (its canonical shown words, where it is and whose it is), the best position in a
-- list (static weight order), whether only samples hold it, and whether some text was
-- answered whole (its key is the whole text, or lists every address of its branch). Of a
-- sample list, or a key that is a whole text (every address it lists begins with the text),
-- only the first $3 are read. What the ranker reads of the chosen: ranked_rows.
WITH stored AS (
    SELECT key, saturated FROM search_completions WHERE key = ANY($1::text[])
), best AS (
    SELECT DISTINCT ON (t.text) t.text, s.key, s.saturated
    FROM unnest($2::text[]) AS t(text)
    JOIN stored s ON starts_with(t.text, s.key)
    ORDER BY t.text, length(s.key) DESC
), listed AS (
    SELECT u.uprn, min(u.position) AS position, bool_and(c.saturated) AS sampled
    FROM (SELECT key, bool_or(text = key) AS typed FROM best GROUP BY key) k
    JOIN search_completions c ON c.key = k.key
    CROSS JOIN LATERAL unnest(
        CASE WHEN c.saturated OR k.typed THEN c.uprns[1:$3] ELSE c.uprns END
    ) WITH ORDINALITY AS u(uprn, position)
    GROUP BY u.uprn
)
SELECT s.uprn, s.shown, s.custodian_code, s.x, s.y, listed.position, listed.sampled,
       (SELECT bool_or(b.text = b.key OR NOT b.saturated) FROM best b) AS whole,
       -- indexed before the shown words were stored (migration 0011): typeahead makes them
       CASE WHEN s.shown IS NULL THEN (SELECT address FROM addresses WHERE uprn = s.uprn) END
           AS address
FROM listed
JOIN address_search s ON s.uprn = listed.uprn
