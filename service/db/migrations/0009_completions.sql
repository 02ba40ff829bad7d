-- Typeahead completions (issue 13): for each stored key (a prefix of the folded, displayed
-- address from its flat, building, house number or street), at most 200 UPRNs best static
-- weight first. A full load rebuilds it beside the live one and swaps it in with the search
-- index; a change-only update rebuilds it in its transaction. service/search/completion.py
-- says why it is bounded and what is stored.
CREATE TABLE search_completions (
    key       text COLLATE "C" NOT NULL,
    saturated boolean NOT NULL,  -- the key has more addresses than its list: a sample
    uprns     bigint[] NOT NULL
);
CREATE UNIQUE INDEX search_completions_pkey ON search_completions (key);

-- The service reads it (migration 0010 grants every later table too when it runs first).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'address_lookup_service') THEN
        GRANT SELECT ON search_completions TO address_lookup_service;
    END IF;
END $$;
