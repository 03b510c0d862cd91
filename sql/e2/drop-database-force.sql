-- PostgreSQL 13+: ends other sessions and drops in one statement. Runs outside a transaction. %I: database.
DROP DATABASE IF EXISTS %I WITH (FORCE)
