-- Whether the session's role sees every row (a superuser, or a role with BYPASSRLS): only then
-- can a count and checksum of the rows vouch that nothing was added, changed or deleted.
SELECT (r.rolsuper OR r.rolbypassrls) AS sees_all FROM pg_roles r WHERE r.rolname = current_user
