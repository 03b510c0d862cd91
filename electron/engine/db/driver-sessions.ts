import { withClient } from './connect';
import type { Sessions } from './run-sessions';
import { sqlText } from './sql-files';
import { waitForSessionsToExit } from './wait-for-exit';

/**
 * Ends the server sessions a stopped child driver (Alembic, pytest) left behind, by the
 * application_name it was given; returns how many. Their transactions roll back now, and a
 * statement still waiting on a lock never runs after its client is gone. Waits until they have
 * left, so the next step does not meet their locks.
 */
export async function endDriverSessions(sessions: Sessions, applicationName: string): Promise<number> {
  const result = await withClient(sessions, { database: 'postgres' }, 'ending the stopped process\u2019s sessions', async (client) => {
    const ended = (await client.query(sqlText('sessions/terminate-driver-sessions'), [applicationName])).rowCount ?? 0;
    if (ended > 0) {
      await waitForSessionsToExit(async () => {
        return (await client.query<{ remaining: number }>(sqlText('sessions/count-driver-sessions'), [applicationName])).rows[0].remaining;
      });
    }
    return ended;
  });
  return result.ok ? result.value : 0;
}
