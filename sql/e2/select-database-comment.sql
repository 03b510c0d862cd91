-- The comment of a database ($1: name): where the ownership marker lives.
SELECT shobj_description(d.oid, 'pg_database') AS comment FROM pg_database d WHERE d.datname = $1
