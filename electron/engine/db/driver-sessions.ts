import { withClient } from './connect';
import type { Sessions } from './run-sessions';
import { sqlText } from './sql-files';

/** How long to wait for signalled backends to exit; a backend ends within milliseconds unless the server is stuck. */
const EXIT_WAIT_MS = 5_000;
const EXIT_POLL_MS = 25;

/**
 * Ends the server sessions a stopped child driver (Alembic, pytest) left behind, by the
 * application_name it was given; returns how many. Their transactions roll back now, and a
 * statement still waiting on a lock never runs after its client is gone. Waits until they have
 * left, so the next step does not meet their locks.
 */
export async function endDriverSessions(sessions: Sessions, applicationName: string): Promise<number> {
  const result = await withClient(sessions, { database: 'postgres' }, 'ending the stopped process\u2019s sessions', async (client) => {
    const ended = (await client.query(sqlText('sessions/terminate-driver-sessions'), [applicationName])).rowCount ?? 0;
    const deadline = Date.now() + EXIT_WAIT_MS;
    while (ended > 0 && Date.now() < deadline) {
      const left = await client.query<{ remaining: number }>(sqlText('sessions/count-driver-sessions'), [applicationName]);
      if (left.rows[0].remaining === 0) break;
      await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
    }
    return ended;
  });
  return result.ok ? result.value : 0;
}
