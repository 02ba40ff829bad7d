-- Up to $2 single vocabulary words starting with the word being typed ($1, a LIKE
-- pattern), most common first.
SELECT id, word, frequency FROM search_words
WHERE word LIKE $1 AND word NOT LIKE '% %'
ORDER BY frequency DESC LIMIT $2
