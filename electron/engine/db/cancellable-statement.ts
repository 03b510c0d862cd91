import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { openClient } from './open-client';
import { sqlText } from './sql-files';

/**
 * One long statement (a whole-database copy) that a cancel stops on the server. A client
 * cannot interrupt its own running statement, and one that simply goes away leaves the
 * server to finish it: so on abort a second session asks the server to cancel ours.
 */
export async function queryCancellable(client: Client, settings: ConnectionSettings, text: string, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) {
    await client.query(text);
    return;
  }
  if (signal.aborted) throw new StatementNotStarted();
  const pid = backendPid(client);
  // Set by the abort: awaited before returning, so a late cancel can never hit the caller's next statement.
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling = pid === null ? undefined : cancelBackend(settings, pid);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.query(text);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await cancelling;
  }
}

/** The statement was not sent: the signal had already been aborted. */
export class StatementNotStarted extends Error {
  constructor() {
    super('cancelled before the statement started');
  }
}

/** Whether `error` is a statement the server cancelled at our request (SQLSTATE 57014), or one we never sent. */
export function wasCancelled(error: unknown): boolean {
  return error instanceof StatementNotStarted || (error as { code?: unknown } | null)?.code === '57014';
}

/** The server process behind `client` (pg sets it at login; absent on a client that never connected). */
function backendPid(client: Client): number | null {
  const pid = (client as Client & { processID?: number }).processID;
  return typeof pid === 'number' && pid > 0 ? pid : null;
}

/**
 * Asks the server, from a session of its own, to cancel what backend `pid` runs. Never throws:
 * a cancel that cannot be sent (the server does not answer) leaves the statement to finish,
 * and the caller stops at its next step instead.
 */
async function cancelBackend(settings: ConnectionSettings, pid: number): Promise<void> {
  const opened = await openClient(settings, { database: 'postgres', applicationName: 'skeldir-rebuild cancel' });
  if (!opened.ok) return;
  try {
    await opened.value.query(sqlText('sessions/cancel-statement'), [pid]);
  } catch {
    // Nothing to cancel any more, or the server went away: either way the statement has ended or will.
  } finally {
    await opened.value.end().catch(() => undefined);
  }
}
