-- The privileges each (schema, role) pair holds ($1: schemas, $2: roles, pair by pair), in one
-- read: a pair with none has no row. Owners hold theirs implicitly (acldefault).
SELECT g.schema_name, g.role_name, a.privilege_type FROM unnest($1::text[], $2::text[]) AS g(schema_name, role_name) JOIN pg_namespace n ON n.nspname = g.schema_name CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE a.grantee = (SELECT r.oid FROM pg_roles r WHERE r.rolname = g.role_name) ORDER BY 1, 2, 3
