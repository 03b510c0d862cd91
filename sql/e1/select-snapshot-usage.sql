-- How many databases start with a snapshot prefix ($1), and their total size in bytes: E1's
-- warning that safety snapshots pile up (nothing deletes them unasked).
SELECT count(*)::int AS count, coalesce(sum(pg_database_size(d.oid)), 0)::bigint AS bytes FROM pg_database d WHERE left(d.datname, length($1)) = $1
