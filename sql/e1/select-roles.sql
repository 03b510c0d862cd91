-- Which of the profile's roles exist ($1: role names).
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY rolname
