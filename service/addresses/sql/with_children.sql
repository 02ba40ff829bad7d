-- One address by UPRN ($1), with the UPRNs whose parent it is (the flats of a building), in
-- one round trip.
SELECT {{address_columns}},
       ARRAY(SELECT c.uprn FROM addresses c WHERE c.parent_uprn = a.uprn
             ORDER BY c.sao_start_number NULLS FIRST, c.uprn) AS child_uprns
FROM addresses a
WHERE a.uprn = $1
