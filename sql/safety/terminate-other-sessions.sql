-- Ends the sessions on a database ($1) but the caller's and those kept ($2: pids), returning how many there were.
SELECT count(pg_terminate_backend(a.pid))::int AS ended FROM pg_stat_get_activity(NULL) a WHERE a.datid = (SELECT d.oid FROM pg_database d WHERE d.datname = $1) AND a.pid <> pg_backend_pid() AND a.pid <> ALL($2::int[])
