-- fuzzy_words, and every vocabulary word that is a short asked word ($3) with two
-- neighbouring letters swapped ($4): trigrams miss those ('geren' shares two of the six of
-- 'green'). (A statement of its own: the extra parameters cost even when empty.)
{{trigram_words}}
UNION ALL  -- a word found both ways is kept once by the caller
SELECT v.asked, w.id, w.word, w.frequency
FROM unnest($3::text[], $4::text[]) AS v(asked, word)
CROSS JOIN LATERAL (SELECT id, word, frequency FROM search_words WHERE word = v.word) w
