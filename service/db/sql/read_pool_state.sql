-- A read pool's state, checked every few seconds by each service process: the newest load in
-- effect there (the same token as data_state's) and, on a standby, how much WAL it has received
-- and replayed (bytes since 0/0; NULL on a server that is not a standby, such as the primary).
SELECT (SELECT coalesce(max(id) FILTER (WHERE status NOT IN ('loading', 'failed')), 0)
        FROM data_versions) AS data_version,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::int8 AS received,
       pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::int8 AS replayed
