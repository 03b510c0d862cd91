-- A template nobody can connect to by accident, so cloning it never fails on "being accessed by other users". %I: database.
ALTER DATABASE %I WITH IS_TEMPLATE true ALLOW_CONNECTIONS false
