-- Whether this role may call pg_control_system(): a permission error would be raised while
-- the statement starts, before any CASE could step around it.
SELECT has_function_privilege('pg_control_system()', 'EXECUTE') AS allowed
