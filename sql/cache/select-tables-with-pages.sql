-- User tables whose data file has any page. A table without one holds no row, whoever asks
-- (a row is written to a page first), so only these need the superuser's look inside; and
-- any role may ask (pg_relation_size checks no privilege), so the run's application-role
-- session answers for an untouched database. alembic_version does not count as data;
-- temporary tables end with their session.
SELECT format('%I.%I', n.nspname, c.relname) AS qualified FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relname <> 'alembic_version' AND pg_relation_size(c.oid) > 0 ORDER BY 1
