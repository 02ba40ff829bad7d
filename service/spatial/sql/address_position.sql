-- Where an address ($1, its UPRN) is, in British National Grid and WGS84.
SELECT x, y, lat, lon FROM addresses WHERE uprn = $1
