-- Row-level security policies.
SELECT schemaname, tablename, policyname, permissive, roles::text AS roles, cmd, qual, with_check FROM pg_policies ORDER BY 1, 2, 3
