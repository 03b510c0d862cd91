-- Owner and privileges on the database itself ($1: database).
SELECT pg_get_userbyid(d.datdba) AS owner, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type FROM pg_database d CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = $1 ORDER BY 2, 3
