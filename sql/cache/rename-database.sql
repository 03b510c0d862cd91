-- Renames a database (catalog only, instant). The database must have no other sessions. %I: old; %I: new.
ALTER DATABASE %I RENAME TO %I
