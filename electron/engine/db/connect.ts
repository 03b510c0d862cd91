import { Client } from 'pg';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { connectionError, statementError } from './pg-errors';
import { sqlText } from './sql-files';

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
}

const CONNECT_TIMEOUT_MS = 8_000;

export async function openClient(settings: ConnectionSettings, login: Login): Promise<Result<Client>> {
  const user = login.user ?? settings.superuser;
  const client = new Client({
    host: settings.host,
    port: settings.port,
    user,
    password: login.password ?? settings.password,
    database: login.database,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'skeldir-rebuild',
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
      }),
    );
  }
}

/** Opens a client, runs `work`, always closes it. Statement errors become AppErrors. */
export async function withClient<T>(
  settings: ConnectionSettings,
  login: Login,
  what: string,
  work: (client: Client) => Promise<T>,
): Promise<Result<T>> {
  const opened = await openClient(settings, login);
  if (!opened.ok) return opened;
  try {
    return ok(await work(opened.value));
  } catch (error) {
    return err(statementError(error, what));
  } finally {
    await opened.value.end().catch(() => undefined);
  }
}

/** "15.18" and 15 from server_version / server_version_num. */
export async function serverVersion(client: Client): Promise<{ version: string; major: number }> {
  const result = await client.query<{ server_version: string; server_version_num: string }>(
    sqlText('e1/select-server-version'),
  );
  const row = result.rows[0];
  return { version: row.server_version.split(' ')[0], major: Math.floor(Number(row.server_version_num) / 10000) };
}
