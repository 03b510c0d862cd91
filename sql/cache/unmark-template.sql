-- A template database cannot be dropped until it is an ordinary database again. %I: database.
ALTER DATABASE %I WITH IS_TEMPLATE false ALLOW_CONNECTIONS true
