-- A prepared copy nobody may connect to until it is swapped in. %I: database.
ALTER DATABASE %I WITH ALLOW_CONNECTIONS false
