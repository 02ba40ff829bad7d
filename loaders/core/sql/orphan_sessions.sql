-- Sessions left behind by an earlier load of the same dataset (its index workers, say, or a
-- session whose process was stopped), told apart by the application name every load session
-- carries. Only called while holding the dataset's load lock, so no live load owns them.
SELECT pid, application_name, state, coalesce(xact_start, backend_start) AS since
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND datname = current_database()
  AND (application_name = $1 OR application_name LIKE $1 || ' %')
