-- Who holds the rebuild lock ($1: bigint key), to name it in the refusal. A bigint advisory key is
-- stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1 (PostgreSQL's pg_locks docs).
SELECT a.pid, a.application_name, a.backend_start, a.client_addr::text AS client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = (($1::bigint >> 32) & 4294967295) AND l.objid::bigint = ($1::bigint & 4294967295) LIMIT 1
