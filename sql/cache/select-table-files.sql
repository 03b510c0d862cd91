-- User tables and the data file of each (relative to the data folder), read from the catalog
-- alone: cheap on any session, whatever its role, unlike asking for the files' sizes, which
-- opens every table. alembic_version does not count as data; temporary tables end with
-- their session.
SELECT format('%I.%I', n.nspname, c.relname) AS qualified, pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relname <> 'alembic_version' ORDER BY 1
