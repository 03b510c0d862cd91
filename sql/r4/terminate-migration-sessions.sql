-- After a cancelled or timed-out R4, ends the server sessions the killed Alembic process left
-- behind (identified by the application_name it was given through PGAPPNAME), so their
-- transactions roll back now instead of holding locks until the statement finishes.
SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()
