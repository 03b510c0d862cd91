-- Clears the copy metadata from a database restored from a snapshot. %I: database.
COMMENT ON DATABASE %I IS NULL
