-- Ends every other session on a database ($1: database name) before a drop on servers older than 13.
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
