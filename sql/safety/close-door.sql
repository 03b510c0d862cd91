-- Refuses every new connection to a database, superusers' too (a connection limit would not stop them), so nothing can commit between its safety snapshot and its drop. %I: database.
ALTER DATABASE %I WITH ALLOW_CONNECTIONS false
