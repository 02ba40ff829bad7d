-- Each dataset (addresses; boundaries:<type>:<set>; contacts:<set>; postcodes) as it stands:
-- the version live now, how many were replaced or failed, and the versions marked loading,
-- each with whether a load really holds the dataset's lock (exclusive_load takes it with
-- pg_try_advisory_lock(hashtext('load:' || dataset)): its bigint key is split in pg_locks into
-- classid, the high 32 bits, and objid, the low 32) or was interrupted.
WITH keys AS (
    SELECT DISTINCT dataset, hashtext('load:' || dataset)::bigint AS key FROM data_versions
), running AS (
    SELECT k.dataset FROM keys k
    JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = ((k.key >> 32) & 4294967295)::oid
     AND l.objid = (k.key & 4294967295)::oid
)
SELECT s.*, live.kind AS live_kind, live.finished_at AS live_since
FROM (
SELECT v.dataset,
       max(v.id) FILTER (WHERE v.status = 'live') AS live_id,
       count(*) FILTER (WHERE v.status = 'replaced') AS replaced,
       count(*) FILTER (WHERE v.status = 'failed') AS failed,
       coalesce(array_agg(v.id ORDER BY v.id) FILTER (WHERE v.status = 'loading'), '{}')
           AS loading,
       EXISTS (SELECT 1 FROM running r WHERE r.dataset = v.dataset) AS load_running
FROM data_versions v
GROUP BY v.dataset
) s
LEFT JOIN data_versions live ON live.id = s.live_id
ORDER BY s.dataset
