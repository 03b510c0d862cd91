-- How many server sessions still carry a stopped child driver's application_name ($1): pg_terminate_backend only
-- signals a backend, which leaves pg_stat_activity (and releases its locks) a moment later.
SELECT count(*)::int AS remaining FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()
