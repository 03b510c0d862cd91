-- The identity (OID) of each of these roles ($1: names): a template's grants and ownership name
-- roles by OID, so a role dropped and created again under the same name makes a template stale.
SELECT rolname, oid::text AS oid FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY rolname
