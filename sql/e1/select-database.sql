-- The database and its owner ($1: database name).
SELECT d.datname, pg_get_userbyid(d.datdba) AS owner FROM pg_database d WHERE d.datname = $1
