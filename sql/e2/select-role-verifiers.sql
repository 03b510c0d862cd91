-- The stored password verifiers and LOGIN flags of these roles ($1: names), in one read.
-- pg_authid is readable by superusers only; others fall back to a test login.
SELECT rolname, rolpassword, rolcanlogin FROM pg_authid WHERE rolname = ANY($1::text[])
