-- %I: role; %L: SCRAM-SHA-256 verifier computed by the tool, never the clear password.
CREATE ROLE %I LOGIN PASSWORD %L
