-- Candidates for misspelt words by trigram similarity (the fragment _trigram_words.sql).
{{trigram_words}}
