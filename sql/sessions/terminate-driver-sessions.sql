-- After a cancelled or timed-out R4 or R5, ends the server sessions the killed child (Alembic, pytest) left behind,
-- found by the application_name it was given through PGAPPNAME ($1): a session waiting on a lock does not notice
-- its client is gone, and would otherwise run its statement once the lock is released.
SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()
