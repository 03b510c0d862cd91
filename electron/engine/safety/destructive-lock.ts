import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import { acquireRebuildLock } from './rebuild-lock';

/**
 * The locks this async call chain already holds (`host:port/database`): a restore holds the
 * lock and then re-applies grants through a pipeline, which must not be refused by its own
 * caller's lock. Only the same chain of calls shares it; another job in this process is refused.
 */
const heldHere = new AsyncLocalStorage<ReadonlySet<string>>();

function lockName(settings: ConnectionSettings, database: string): string {
  return `${settings.host}:${settings.port}/${database}`;
}

/**
 * Runs a destructive command other than a pipeline (restore, prune, clear-cache) under the
 * same lock a rebuild takes, so none of them can replace or drop a database or a snapshot
 * another one is using: refused with "A rebuild is already running (pid …)" instead, naming the
 * other run ("A migration", "A restore") when its lock file says what it is.
 */
export async function withDestructiveLock<T>(
  request: { command: string; settings: ConnectionSettings; database: string; lockDir?: string },
  work: () => Promise<T>,
): Promise<Result<T>> {
  const name = lockName(request.settings, request.database);
  const held = heldHere.getStore();
  if (held?.has(name)) return ok(await work());
  const lock = await acquireRebuildLock({
    settings: request.settings,
    database: request.database,
    lockDir: request.lockDir,
    owner: { pid: process.pid, startedAt: new Date().toISOString(), command: request.command },
  });
  if (!lock.ok) return err(lock.error);
  try {
    return ok(await heldHere.run(new Set([...(held ?? []), name]), work));
  } finally {
    await lock.value.release();
  }
}

/** Whether this async call chain already holds the lock on `database` (a restore re-applying grants through a pipeline). */
export function holdsDestructiveLock(settings: ConnectionSettings, database: string): boolean {
  return heldHere.getStore()?.has(lockName(settings, database)) ?? false;
}
