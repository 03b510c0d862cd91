-- Keeps the cache or snapshot metadata (JSON) with the database itself. %I: database; %L: JSON text.
COMMENT ON DATABASE %I IS %L
