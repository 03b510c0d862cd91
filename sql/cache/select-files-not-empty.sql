-- Which of these data files ($1: paths relative to the data folder) are missing or hold
-- any byte. pg_stat_file is for superusers (and pg_read_server_files); it works from any
-- database, so the rebuild's own session answers without a session inside.
SELECT p.path FROM unnest($1::text[]) AS p(path) WHERE coalesce((pg_stat_file(p.path, true)).size, -1) <> 0
