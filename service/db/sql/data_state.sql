-- What the service is serving, read every few seconds by each process: a token that changes
-- whenever a load finishes and takes effect (answers' ETags are keyed to it), the live
-- address data version and how long ago it was loaded, and how many loads ended each way.
SELECT coalesce(max(id) FILTER (WHERE status NOT IN ('loading', 'failed')), 0) AS token,
       max(id) FILTER (WHERE dataset = 'addresses' AND status = 'live') AS address_version,
       extract(epoch FROM now() - max(finished_at)
               FILTER (WHERE dataset = 'addresses' AND status = 'live'))::float8 AS address_age_s,
       coalesce((SELECT json_object_agg(status, n)
                 FROM (SELECT status, count(*) AS n FROM data_versions GROUP BY status) s),
                '{}') AS outcomes
FROM data_versions
