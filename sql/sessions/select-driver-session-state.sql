-- The progress watch of R4 and R5: the server-side state of a child driver's sessions (Alembic, pytest), found by the
-- application_name it was given through PGAPPNAME ($1); a session waiting on a lock makes no progress. With $2 (a database)
-- and $3 (when the driver started), also the sessions on that database that logged in since, other than this tool's own:
-- a driver that ignores PGAPPNAME (asyncpg) leaves its sessions unnamed.
SELECT pid, state, query_start::text AS query_start, wait_event_type, wait_event FROM pg_stat_activity a
WHERE a.application_name = $1
   OR ($2::text IS NOT NULL AND a.datname = $2 AND a.backend_start >= $3::timestamptz AND a.application_name NOT LIKE 'skeldir-rebuild%' AND a.pid <> pg_backend_pid())
ORDER BY pid
