-- The cluster's system identifier: chosen once by initdb and kept across restarts and port
-- changes, so it tells two servers apart where host and port cannot (the bundled server's
-- port changes at every start). Run only where pg_control_system() is granted (it is to
-- PUBLIC by default; an administrator may revoke it).
SELECT system_identifier::text AS system_identifier FROM pg_control_system()
