-- The other sessions holding a lock on any of the named tables (in this database and schema),
-- oldest transaction first: who a load is waiting for. A NOWAIT lock request never queues, so
-- pg_blocking_pids() has nothing to say about it; pg_locks says who holds the tables.
-- Sessions of another role show their pid and application but not their times or query.
SELECT a.pid,
       coalesce(nullif(a.application_name, ''), '(none)') AS application,
       a.usename::text AS user_name,
       coalesce(a.xact_start, a.backend_start) AS since,
       coalesce(a.state, '(hidden)') AS state,
       left(coalesce(a.query, ''), 120) AS query,
       array_agg(DISTINCT c.relname::text ORDER BY c.relname::text) AS tables
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted
  AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relname = ANY ($1::text[])
GROUP BY a.pid, a.application_name, a.usename, a.xact_start, a.backend_start, a.state, a.query
ORDER BY since NULLS LAST, a.pid
