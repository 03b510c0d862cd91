-- For one role ($1), each existing public table of $2 and privilege of $3: whether the role holds it.
SELECT t.tbl AS table_name, p.priv AS privilege, has_table_privilege($1, format('public.%I', t.tbl), p.priv) AS granted FROM unnest($2::text[]) AS t(tbl) CROSS JOIN unnest($3::text[]) AS p(priv) WHERE to_regclass(format('public.%I', t.tbl)) IS NOT NULL ORDER BY 1, 2
