-- Databases whose name holds a copy tag ($1, e.g. "__snap_"), with size, template flag and the JSON metadata kept in their comment; the caller keeps those whose metadata names its database.
SELECT d.datname, pg_database_size(d.oid) AS size_bytes, d.datistemplate, shobj_description(d.oid, 'pg_database') AS meta FROM pg_database d WHERE strpos(d.datname, $1) > 0 ORDER BY d.datname
