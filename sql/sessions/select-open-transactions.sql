-- Other clients' sessions with a transaction open ($1: on that database, or on any when null): the likely holders of a lock a
-- statement of ours timed out on. A session's locks last as long as its transaction, so one idle in transaction is the usual culprit.
SELECT a.pid, a.application_name, a.state, a.xact_start::text AS xact_start, host(a.client_addr) AS client_addr FROM pg_stat_activity a WHERE ($1::text IS NULL OR a.datname = $1) AND a.xact_start IS NOT NULL AND a.pid <> pg_backend_pid() AND a.application_name NOT LIKE 'skeldir-rebuild%' ORDER BY a.xact_start
