-- The server-side half of the rebuild lock: a session-level advisory lock that the server
-- drops by itself when the owner's session ends (crash, kill, lost network). $1: bigint key
-- derived from the database name, so runs on different databases do not block each other.
SELECT pg_try_advisory_lock($1::bigint) AS locked
