-- Sessions on a database ($1) but the caller's and those kept ($2: pids): a terminated one is counted until it has finished (committed or rolled back) and left.
SELECT count(*)::int AS n FROM pg_stat_get_activity(NULL) a WHERE a.datid = (SELECT d.oid FROM pg_database d WHERE d.datname = $1) AND a.pid <> pg_backend_pid() AND a.pid <> ALL($2::int[])
