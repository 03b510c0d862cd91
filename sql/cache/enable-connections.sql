-- Makes a prepared copy an ordinary, connectable database. %I: database.
ALTER DATABASE %I WITH IS_TEMPLATE false ALLOW_CONNECTIONS true
