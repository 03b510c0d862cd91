/** How long a login may take before it counts as no answer. */
export const CONNECT_TIMEOUT_MS = 8_000;

/**
 * How long any statement of ours waits for a lock another session holds (an open transaction
 * in psql or an IDE, an alembic upgrade still running) before it stops with a lock-timeout
 * error that says so: a diagnosis or a rebuild must never sit silently behind someone else's
 * transaction. None of our own statements wait for each other's locks (the rebuild lock is
 * taken with a try), so this only ever ends a wait on another client.
 */
export const LOCK_WAIT_LIMIT_MS = 10_000;
