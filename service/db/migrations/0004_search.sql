-- The address search index, rebuilt by every full load and patched by change-only updates.
--
-- search_words: every canonical word, number and postcode token in the data, with how many
-- addresses hold it. Typos are found by trigram similarity on this small table, never on the
-- addresses themselves.
CREATE TABLE search_words (
    id        integer NOT NULL,
    word      text COLLATE "C" NOT NULL,
    frequency integer NOT NULL
);
CREATE UNIQUE INDEX search_words_pkey ON search_words (id);
CREATE UNIQUE INDEX search_words_word_idx ON search_words (word);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- address_search: one row per address: its word ids (GIN, for candidates) and the folded parts
-- the ranker compares with a query, plus the columns the search filters on.
CREATE TABLE address_search (
    uprn                bigint NOT NULL,
    words               integer[] NOT NULL,
    text                text NOT NULL,
    street              text NOT NULL,
    places              text NOT NULL,
    building            text NOT NULL,
    sao_text            text NOT NULL,
    pao_number          integer,
    pao_suffix          text NOT NULL,
    pao_end             integer,
    sao_number          integer,
    sao_suffix          text NOT NULL,
    postcode_key        text COLLATE "C",
    logical_status      smallint,
    classification_code text COLLATE "C",
    custodian_code      integer,
    x                   double precision NOT NULL,
    y                   double precision NOT NULL
);
CREATE UNIQUE INDEX address_search_pkey ON address_search (uprn);
CREATE INDEX address_search_words_idx ON address_search USING gin (words gin__int_ops);
CREATE INDEX address_search_postcode_idx ON address_search (postcode_key);
