-- Ends the other sessions on a database ($1) so it can be used as a template or dropped.
SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
