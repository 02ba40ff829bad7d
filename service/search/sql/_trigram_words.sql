-- For each asked word ($1), up to $2 vocabulary words that look like it (trigram
-- similarity), most alike and most common first: candidates for a misspelling.
SELECT q.word AS asked, w.id, w.word, w.frequency
FROM unnest($1::text[]) AS q(word)
CROSS JOIN LATERAL (
    SELECT id, word, frequency FROM search_words
    WHERE word % q.word
    ORDER BY similarity(word, q.word) DESC, frequency DESC
    LIMIT $2
) w
