-- The JSON metadata (comment) of these databases ($1: names), without sizes: the cheap lookup a warm rebuild makes.
SELECT d.datname, shobj_description(d.oid, 'pg_database') AS meta FROM pg_database d WHERE d.datname = ANY($1::text[])
