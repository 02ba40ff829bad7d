-- The vocabulary's entries for these exact words ($1).
SELECT id, word, frequency FROM search_words WHERE word = ANY($1::text[])
