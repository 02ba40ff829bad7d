-- A read pool's state, checked every few seconds by each service process: the newest load in
-- effect there (the same token as data_state's) and how far its replay lags. A standby whose
-- replay has caught up with what it received lags 0, however long ago the primary last wrote;
-- a server that is not a standby (the primary) lags 0.
SELECT (SELECT coalesce(max(id) FILTER (WHERE status NOT IN ('loading', 'failed')), 0)
        FROM data_versions) AS data_version,
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
       END::float8 AS replay_lag_s
