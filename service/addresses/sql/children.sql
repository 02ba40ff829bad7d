-- The UPRNs whose parent is $1 (flats in a building, units in a block).
SELECT uprn FROM addresses WHERE parent_uprn = $1 ORDER BY sao_start_number NULLS FIRST, uprn
