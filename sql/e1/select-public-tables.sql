-- Tables of the public schema, as pg_tables shows them to the connected role.
SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
