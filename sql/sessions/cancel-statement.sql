-- Cancels the statement our own session $1 (its backend pid) is running, as a cancel request would: a long
-- CREATE DATABASE … TEMPLATE stops where it is and the server removes what it had copied. The client's own
-- socket cannot interrupt it, and a client that goes away leaves the server to finish the statement.
SELECT pg_cancel_backend($1) AS cancelled
