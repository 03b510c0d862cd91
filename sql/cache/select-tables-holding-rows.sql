-- The user tables of the connected database that hold at least one row, with their total size
-- (bytes, TOAST and indexes included): a server-side "LIMIT 1" probe per table, as in
-- select-tables-with-rows. Run as the superuser: row-level security would hide rows from other
-- roles. alembic_version holds no data of the user's; temporary tables end with their session.
SELECT n.nspname AS schemaname, c.relname AS tablename, format('%I.%I', n.nspname, c.relname) AS qualified, pg_total_relation_size(c.oid)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relname <> 'alembic_version' AND (xpath('/table/row/n/text()', query_to_xml(format('SELECT 1 AS n FROM %I.%I LIMIT 1', n.nspname, c.relname), false, false, '')))[1] IS NOT NULL ORDER BY 3
