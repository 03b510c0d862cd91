-- Privileges a role holds on a database, explicitly or as owner ($1: database, $2: role).
SELECT DISTINCT a.privilege_type FROM pg_database d CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = $1 AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $2) ORDER BY 1
