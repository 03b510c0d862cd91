-- Privileges a role holds on a schema of the connected database ($1: schema, $2: role).
SELECT DISTINCT a.privilege_type FROM pg_namespace n CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE n.nspname = $1 AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $2) ORDER BY 1
