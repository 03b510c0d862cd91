-- Database-level settings (ALTER DATABASE … SET), one "name=value" per row ($1: database name).
SELECT unnest(s.setconfig) AS setting FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1 AND s.setrole = 0
