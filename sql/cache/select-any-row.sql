-- Whether a table holds at least one row. %I: schema; %I: table.
SELECT 1 FROM %I.%I LIMIT 1
