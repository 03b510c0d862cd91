-- Runs outside a transaction, from a connection to the postgres database. %I: database; %I: owner.
CREATE DATABASE %I OWNER %I
