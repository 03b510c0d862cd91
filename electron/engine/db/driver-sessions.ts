import { withClient } from './connect';
import type { Sessions } from './run-sessions';
import { sqlText } from './sql-files';

/**
 * Ends the server sessions a stopped child driver (Alembic, pytest) left behind, by the
 * application_name it was given; returns how many. Their transactions roll back now, and a
 * statement still waiting on a lock never runs after its client is gone.
 */
export async function endDriverSessions(sessions: Sessions, applicationName: string): Promise<number> {
  const result = await withClient(sessions, { database: 'postgres' }, 'ending the stopped process\u2019s sessions', async (client) => {
    return (await client.query(sqlText('sessions/terminate-driver-sessions'), [applicationName])).rowCount ?? 0;
  });
  return result.ok ? result.value : 0;
}
