-- Add one process's batch of counts to the usage table.
INSERT INTO key_usage AS u (key_id, day, family, status_class, requests)
SELECT * FROM unnest($1::bigint[], $2::date[], $3::text[], $4::smallint[], $5::bigint[])
ON CONFLICT (key_id, day, family, status_class)
DO UPDATE SET requests = u.requests + excluded.requests
