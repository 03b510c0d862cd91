-- Every role on the server but PostgreSQL's own (pg_*): E1 picks the profile's from them, and
-- Parity compares the roles CI creates with them.
SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname
