-- What says a database is no longer as the run's early look saw it, as far as rows go,
-- read from its files: a user table's data file ($1) that holds a byte or is gone, and a
-- relation file with data that is newer than every file the look knew in its folder ($2:
-- folders, $3: the newest file number in each). A table created or rewritten since gets
-- a new file, numbered from the server's ever-growing OID counter. Only first segments of
-- main forks count (plain numbers: not _fsm, _vm, _init, .1, temporary t… files); an empty
-- new file holds no row. pg_stat_file and pg_ls_dir are for superusers, from any database.
SELECT p.path FROM unnest($1::text[]) AS p(path) WHERE coalesce((pg_stat_file(p.path, true)).size, -1) <> 0
UNION ALL
SELECT d.folder || '/' || f.name FROM unnest($2::text[], $3::bigint[]) AS d(folder, newest) CROSS JOIN LATERAL pg_ls_dir(d.folder, true, false) AS f(name) WHERE f.name ~ '^[0-9]+$' AND f.name::bigint > d.newest AND coalesce((pg_stat_file(d.folder || '/' || f.name, true)).size, 0) > 0
