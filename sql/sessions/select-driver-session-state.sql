-- The progress watch of R4 and R5: the server-side state of a child driver's sessions (Alembic, pytest), found by the
-- application_name it was given through PGAPPNAME ($1); a session waiting on a lock makes no progress.
SELECT pid, state, query_start::text AS query_start, wait_event_type, wait_event FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid
