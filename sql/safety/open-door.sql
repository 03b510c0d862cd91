-- Lets connections in again: on every way out of a drop or restore that did not happen. %I: database.
ALTER DATABASE %I WITH ALLOW_CONNECTIONS true
