-- The database's own folder (where pg_class's file lives) and the highest relation file
-- number in it: a table created or rewritten later gets a higher one (file numbers come
-- from the server's ever-growing OID counter). Read from the catalog alone, by any role.
SELECT regexp_replace(pg_relation_filepath('pg_catalog.pg_class'), '/[^/]*$', '') AS folder, (SELECT max(c.relfilenode) FROM pg_class c)::bigint AS newest
