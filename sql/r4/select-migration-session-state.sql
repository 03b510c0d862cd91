-- R4's progress watch: the server-side state of the Alembic driver's sessions (by the application_name it was given through PGAPPNAME); a session waiting on a lock makes no progress.
SELECT pid, state, query_start::text AS query_start, wait_event_type, wait_event FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid
