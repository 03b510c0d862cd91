-- The database's tables with their data files, and its own folder (where pg_class's file
-- lives) with the highest relation file number in it, in one catalog read any role may
-- make. E1 lists the public schema's tables from it (as pg_tables shows them: plain and
-- partitioned); a rebuild that drops the database keeps the rest as its early look at the
-- files (see snapshots/files-look). A table created or rewritten later gets a file number
-- above `newest` (numbers come from the server's ever-growing OID counter). The folder
-- comes in every answer, with null table columns when the database has no table.
WITH own AS (
  SELECT regexp_replace(pg_relation_filepath('pg_catalog.pg_class'), '/[^/]*$', '') AS folder, (SELECT max(c.relfilenode) FROM pg_class c)::bigint AS newest
), tables AS (
  SELECT n.nspname AS schema_name, c.relname AS table_name, format('%I.%I', n.nspname, c.relname) AS qualified, CASE WHEN c.relkind = 'r' AND c.relpersistence <> 't' THEN pg_relation_filepath(c.oid) END AS path
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
)
SELECT own.folder, own.newest, t.schema_name, t.table_name, t.qualified, t.path FROM own LEFT JOIN tables t ON true ORDER BY t.table_name, t.schema_name
