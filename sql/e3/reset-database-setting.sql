-- Removes a database-level setting (used by tests that provoke failure 3). %I: database; %s: quoted name.
ALTER DATABASE %I RESET %s
