-- A session given back for reuse forgets everything the last user set (settings, prepared statements, temporary tables);
-- it fails inside an unfinished transaction, and such a session is not reused.
DISCARD ALL
