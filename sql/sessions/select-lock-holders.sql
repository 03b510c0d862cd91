-- The sessions holding the locks that a child driver's sessions wait on, to name them to the user; the driver's sessions
-- are found as in select-driver-session-state ($1: the application_name it was given; $2, $3: its database and start).
-- pg_blocking_pids is only asked once the watch has seen the driver wait on a lock; a lock held by another of the driver's own sessions is not another client's.
SELECT DISTINCT b.pid, b.application_name, b.state, b.xact_start::text AS xact_start, host(b.client_addr) AS client_addr
FROM pg_stat_activity w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS h(pid) JOIN pg_stat_activity b ON b.pid = h.pid
WHERE (w.application_name = $1 OR ($2::text IS NOT NULL AND w.datname = $2 AND w.backend_start >= $3::timestamptz AND w.application_name NOT LIKE 'skeldir-rebuild%'))
  AND b.application_name IS DISTINCT FROM $1
  AND NOT ($2::text IS NOT NULL AND b.datname = $2 AND b.backend_start >= $3::timestamptz AND b.application_name NOT LIKE 'skeldir-rebuild%')
ORDER BY b.pid
