import type { Client } from 'pg';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import { withLockHoldersNamed } from './other-sessions';
import { statementError } from './pg-errors';
import { sqlText } from './sql-files';
import type { Sessions } from './run-sessions';
import type { Login } from './open-client';

export { openClient, type Login } from './open-client';

/** Leases a client from `sessions`, runs `work`, always gives it back. Statement errors become AppErrors. */
export async function withClient<T>(sessions: Sessions, login: Login, what: string, work: (client: Client) => Promise<T>): Promise<Result<T>> {
  const leased = await sessions.lease(login);
  if (!leased.ok) return leased;
  let broken = false;
  try {
    return ok(await work(leased.value.client));
  } catch (error) {
    broken = true;
    return err(await withLockHoldersNamed(statementError(error, what), leased.value.client, null));
  } finally {
    await leased.value.release({ broken });
  }
}

/** "15.18" and 15 from server_version / server_version_num. */
export async function serverVersion(client: Client): Promise<{ version: string; major: number }> {
  const result = await client.query<{ server_version: string; server_version_num: string }>(sqlText('e1/select-server-version'));
  const row = result.rows[0];
  return { version: row.server_version.split(' ')[0], major: Math.floor(Number(row.server_version_num) / 10000) };
}

/** The cluster's system identifier (see e1/select-system-identifier), or null where this role may not read it. */
export async function clusterIdentity(client: Client): Promise<string | null> {
  const allowed = (await client.query<{ allowed: boolean }>(sqlText('e1/select-may-read-control-data'))).rows[0]?.allowed === true;
  if (!allowed) return null;
  return (await client.query<{ system_identifier: string }>(sqlText('e1/select-system-identifier'))).rows[0]?.system_identifier ?? null;
}
