-- Drops a cache template or snapshot (never the profile's database: callers check the name). %I: database.
DROP DATABASE IF EXISTS %I WITH (FORCE)
