-- For each asked word ($1), up to $2 vocabulary words that look like it (trigram
-- similarity), most alike and most common first: candidates for a misspelling. And every
-- vocabulary word that is an asked word ($3) with two neighbouring letters swapped ($4):
-- trigrams miss those in short words ('geren' shares two of the six of 'green').
SELECT q.word AS asked, w.id, w.word, w.frequency
FROM unnest($1::text[]) AS q(word)
CROSS JOIN LATERAL (
    SELECT id, word, frequency FROM search_words
    WHERE word % q.word
    ORDER BY similarity(word, q.word) DESC, frequency DESC
    LIMIT $2
) w
UNION
SELECT v.asked, w.id, w.word, w.frequency
FROM unnest($3::text[], $4::text[]) AS v(asked, word)
JOIN search_words w ON w.word = v.word
