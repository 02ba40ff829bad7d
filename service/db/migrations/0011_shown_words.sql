-- Typeahead reads, for each address a keystroke lists (up to 200), its canonical shown words:
-- the displayed address folded, abbreviations expanded, a space at each end
-- (service.search.completion.shown_text). Made once by the search-index builder rather than
-- at every keystroke. Rows indexed before this migration have none until the next full load;
-- typeahead makes those from the displayed address meanwhile.
ALTER TABLE address_search ADD COLUMN shown text;
-- The whole address folded was kept "for fuzzy comparison" but nothing reads it: dropped, so
-- the table search reads most is no wider than before (its rows go at the next full load).
ALTER TABLE address_search DROP COLUMN text;
