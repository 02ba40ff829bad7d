-- How many addresses lie in a British National Grid box ($1..$4: minx, miny, maxx, maxy).
SELECT count(*) FROM addresses WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 27700)
