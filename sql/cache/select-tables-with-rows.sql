-- User tables that hold at least one row, in one round trip: query_to_xml runs a
-- "LIMIT 1" probe per table server-side (alembic_version does not count as data).
SELECT format('%I.%I', schemaname, tablename) AS qualified FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg_toast%' AND tablename <> 'alembic_version' AND (xpath('/table/row/n/text()', query_to_xml(format('SELECT 1 AS n FROM %I.%I LIMIT 1', schemaname, tablename), false, false, '')))[1] IS NOT NULL ORDER BY 1
