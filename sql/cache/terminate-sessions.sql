-- Ends the other sessions on a database ($1) so it can be renamed, used as a template or dropped.
-- pg_stat_get_activity directly, not the pg_stat_activity view: the view's joins (roles,
-- databases) cost 2-3 ms per call on the rebuild's critical path, and only the pid is needed.
SELECT count(pg_terminate_backend(a.pid))::int AS ended FROM pg_stat_get_activity(NULL) a WHERE a.datid = (SELECT d.oid FROM pg_database d WHERE d.datname = $1) AND a.pid <> pg_backend_pid()
