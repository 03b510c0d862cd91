-- A role's stored password verifier and LOGIN flag ($1: role). pg_authid is readable by superusers only;
-- others fall back to a test login.
SELECT rolpassword, rolcanlogin FROM pg_authid WHERE rolname = $1
