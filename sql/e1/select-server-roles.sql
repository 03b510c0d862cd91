-- Every role on the server but PostgreSQL's own (pg_*), and whether it may log in: E1 picks the
-- profile's from them (each must, bootstrap creates them with LOGIN), and Parity compares the
-- roles CI creates with them.
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname
