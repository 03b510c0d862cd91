import { Client } from 'pg';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { connectionError } from './pg-errors';
import { CONNECT_TIMEOUT_MS, LOCK_WAIT_LIMIT_MS } from './session-limits';

/**
 * The only module that creates pg clients. Everything else asks for a client by
 * (database, role) and gets a Result, so a connection failure is a value with a
 * message, never an exception from deep inside a gate.
 */
export interface Login {
  database: string;
  /** Defaults to the superuser of the settings. */
  user?: string;
  password?: string;
  /** Names the session in pg_stat_activity (default "skeldir-rebuild"), sent at login: no extra round trip. */
  applicationName?: string;
}

export async function openClient(settings: ConnectionSettings, login: Login): Promise<Result<Client>> {
  const user = login.user ?? settings.superuser;
  const password = login.password ?? settings.password;
  const client = new Client({
    host: settings.host,
    port: settings.port,
    user,
    password,
    database: login.database,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Sent with the login (a startup parameter), so it costs no round trip.
    lock_timeout: LOCK_WAIT_LIMIT_MS,
    application_name: login.applicationName ?? 'skeldir-rebuild',
  });
  // A server that dies under an idle client emits 'error' on it; without a listener
  // Node would crash the whole process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return ok(client);
  } catch (error) {
    await client.end().catch(() => undefined);
    const timedOut = error instanceof Error && /timeout/i.test(error.message) && !(error as { code?: string }).code;
    return err(
      connectionError(timedOut ? { code: 'connection-timeout', message: error.message } : error, {
        host: settings.host,
        port: settings.port,
        user,
        database: login.database,
        asSuperuser: login.user === undefined,
      }),
    );
  }
}
