-- One natural order of addresses, and one postcode key that Python and SQL agree on.
--
-- address_natural_key: the order in which addresses are listed (a postcode's addresses, a
-- box's, OS Places pages, and ties in search ranking): street, then house number as a number
-- (12 before 12A before 14; none last), its letter, the building name (so a named building's
-- flats stay together), then the flat number as a number (the building itself first, Flat 2
-- before Flat 10), its letter and its name. As one text compared byte by byte (COLLATE "C"),
-- numbers zero-padded and parts separated by chr(1), so SQL's ORDER BY and Python's sort of the
-- same stored value can never disagree. The service orders by (natural_key, uprn).
CREATE FUNCTION address_natural_key(street text, house integer, house_suffix text,
                                    building text, flat integer, flat_suffix text,
                                    flat_text text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(coalesce(street, '')) || chr(1)
        || coalesce(lpad(house::text, 10, '0'), '~') || chr(1)
        || lower(coalesce(house_suffix, '')) || chr(1)
        || lower(coalesce(building, '')) || chr(1)
        || coalesce(lpad(flat::text, 10, '0'), '') || chr(1)
        || lower(coalesce(flat_suffix, '')) || chr(1)
        || lower(coalesce(flat_text, ''))
$$;

ALTER TABLE addresses ADD COLUMN natural_key text COLLATE "C" GENERATED ALWAYS AS (
    address_natural_key(coalesce(thoroughfare, street_description),
                        coalesce(pao_start_number, building_number), pao_start_suffix,
                        coalesce(pao_text, building_name), sao_start_number, sao_start_suffix,
                        coalesce(sao_text, sub_building_name))
) STORED;
-- A postcode's addresses come from the index already in order (it serves every lookup by
-- postcode key, so it replaces the index on the key alone).
DROP INDEX addresses_postcode_key_idx;
CREATE INDEX addresses_postcode_key_idx ON addresses (postcode_key, natural_key, uprn);

-- The search index carries it too, so ranking breaks ties without reading the addresses.
ALTER TABLE address_search ADD COLUMN natural_key text COLLATE "C";
UPDATE address_search s SET natural_key = a.natural_key FROM addresses a WHERE a.uprn = s.uprn;
ALTER TABLE address_search ALTER COLUMN natural_key SET NOT NULL;

-- 'hp19 9bj' -> 'HP199BJ': the compact key every postcode lookup uses, the same as
-- service.postcodes.postcode_key for any text: the spaces listed removed (ASCII white space
-- and the Unicode spaces people paste), ASCII letters upper-cased (COLLATE "C"), '' is NULL.
CREATE OR REPLACE FUNCTION postcode_key(postcode text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(upper(translate(postcode,
        E' \t\n\r\f\u000b\u00a0\u2007\u2009\u200b\u202f\u3000', '') COLLATE "C"), '')
$$;
