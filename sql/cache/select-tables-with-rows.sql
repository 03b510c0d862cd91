-- Which of these user tables ($1: qualified names) hold at least one row, in one round trip:
-- query_to_xml runs a "LIMIT 1" probe per table server-side. Run as the superuser: row-level
-- security would hide rows from other roles.
SELECT format('%I.%I', schemaname, tablename) AS qualified FROM pg_tables WHERE format('%I.%I', schemaname, tablename) = ANY($1::text[]) AND (xpath('/table/row/n/text()', query_to_xml(format('SELECT 1 AS n FROM %I.%I LIMIT 1', schemaname, tablename), false, false, '')))[1] IS NOT NULL ORDER BY 1
