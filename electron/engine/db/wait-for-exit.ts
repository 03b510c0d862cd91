/** How long signalled backends get to finish their transaction and exit; they take milliseconds unless the server is stuck. */
export const EXIT_WAIT_MS = 5_000;
const EXIT_POLL_MS = 20;

/**
 * Waits until `countLeft` says no ended session is left, or EXIT_WAIT_MS has passed:
 * pg_terminate_backend only signals a backend, which commits or rolls back, releases its
 * locks and leaves pg_stat_activity a moment later.
 */
export async function waitForSessionsToExit(countLeft: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  while (Date.now() < deadline) {
    if ((await countLeft()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
  }
}
