-- Clones a database file by file. Runs outside a transaction; the source must have no other sessions. %I: new; %I: source; %I: owner.
CREATE DATABASE %I TEMPLATE %I OWNER %I
