-- The sessions holding the locks that the Alembic driver's sessions ($1: its application_name) wait on, to name them to the user.
-- pg_blocking_pids is only asked once the watch has seen the driver wait on a lock.
SELECT DISTINCT b.pid, b.application_name, b.state, b.xact_start::text AS xact_start, host(b.client_addr) AS client_addr FROM pg_stat_activity w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS h(pid) JOIN pg_stat_activity b ON b.pid = h.pid WHERE w.application_name = $1 ORDER BY b.pid
