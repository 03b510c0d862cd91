-- The user tables that hold at least one row (alembic_version does not count as data), in one
-- round trip: query_to_xml runs a "LIMIT 1" probe per table server-side. Run as the superuser:
-- row-level security would hide rows from other roles. Temporary tables end with their session.
SELECT format('%I.%I', schemaname, tablename) AS qualified FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg\_temp\_%' AND schemaname NOT LIKE 'pg\_toast%' AND tablename <> 'alembic_version' AND (xpath('/table/row/n/text()', query_to_xml(format('SELECT 1 AS n FROM %I.%I LIMIT 1', schemaname, tablename), false, false, '')))[1] IS NOT NULL ORDER BY 1
