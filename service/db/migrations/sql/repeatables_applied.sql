-- Each repeatable definition's name and the checksum of the text last applied.
SELECT name, checksum FROM schema_repeatables
