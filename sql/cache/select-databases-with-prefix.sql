-- Databases whose name starts with a prefix ($1), with size, template flag and the JSON metadata kept in their comment.
SELECT d.datname, pg_database_size(d.oid) AS size_bytes, d.datistemplate, shobj_description(d.oid, 'pg_database') AS meta FROM pg_database d WHERE left(d.datname, length($1)) = $1 ORDER BY d.datname
