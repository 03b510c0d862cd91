-- The database, its owner, and whether an interrupted DROP DATABASE left it invalid (datconnlimit -2: no connection, no copy; only a drop works) ($1: database name).
SELECT d.datname, pg_get_userbyid(d.datdba) AS owner, d.datconnlimit = -2 AS invalid FROM pg_database d WHERE d.datname = $1
