-- Privileges the given roles hold on a database, explicitly or as owner ($1: database,
-- $2: role names), one row per role and privilege: one read for all of a profile's grants.
SELECT DISTINCT r.rolname AS role_name, a.privilege_type FROM pg_database d CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a JOIN pg_roles r ON r.oid = a.grantee WHERE d.datname = $1 AND r.rolname = ANY($2::text[]) ORDER BY 1, 2
