-- Resets a role's password and LOGIN. %I: role; %L: SCRAM-SHA-256 verifier.
ALTER ROLE %I LOGIN PASSWORD %L
