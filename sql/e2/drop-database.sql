-- Servers older than 13 (after terminate-sessions). %I: database.
DROP DATABASE IF EXISTS %I
