-- Extensions installed in the database the client is connected to, with their versions.
SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY extname
