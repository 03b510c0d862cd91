-- Releases the rebuild lock taken by try-advisory-lock on this session. $1: the same bigint key.
SELECT pg_advisory_unlock($1::bigint) AS unlocked
