import { AsyncLocalStorage } from 'node:async_hooks';
import * as crypto from 'node:crypto';
import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { ok, type Result } from '../../../shared/errors/app-error';
import { openClient, type Login } from './open-client';

/**
 * Connections reused within one pipeline run. Opening a PostgreSQL session costs a
 * backend fork, a SCRAM exchange and a cold catalog cache (15–25 ms each); a warm
 * rebuild used to open a dozen, most of its time. Inside `withRunConnections`, a client
 * given back is kept (after `DISCARD ALL`, so no session state leaks to the next user)
 * and handed to the next request for the same server, role and database; outside it,
 * every lease opens and closes its own client, as before.
 *
 * Two rules keep reuse honest:
 * - a database about to be renamed, dropped or copied is `forgotten` first, so no
 *   kept session blocks it or, after a rename, silently points at the old database;
 * - a change of a database's own settings (ALTER DATABASE … SET) forgets its sessions
 *   too: a session only sees the settings of its start, so every session a run hands
 *   out sees the current ones (VERIFY's "a new session sees the setting" holds).
 */
export interface Lease {
  client: Client;
  /** The login the session was opened with (one of `orAnyOf`'s, possibly). */
  login: Login;
  /**
   * Gives the client back (kept for reuse inside a run, closed otherwise). `broken`: close
   * it. `stateless`: nothing ran on it but statements that leave no session state behind
   * (plain reads, outside any transaction), so there is nothing to discard.
   */
  release(options?: { broken?: boolean; stateless?: boolean }): Promise<void>;
}

interface Kept {
  client: Client;
  key: string;
  database: string;
  alive: boolean;
  /** Lent by its owner (lendToRun): never DISCARDed, never closed by the run. */
  lent?: boolean;
}

interface RunScope {
  idle: Kept[];
  /** Clients leased out now, so `forget` can mark them to be closed on release. */
  leased: Set<Kept>;
  forgotten: WeakSet<Kept>;
  closed: boolean;
}

const scopes = new AsyncLocalStorage<RunScope>();

function activeScope(): RunScope | null {
  const scope = scopes.getStore();
  return scope && !scope.closed ? scope : null;
}

function keyOf(settings: ConnectionSettings, login: Login): string {
  const password = crypto
    .createHash('sha256')
    .update(login.password ?? settings.password)
    .digest('hex');
  return JSON.stringify([settings.host, settings.port, login.user ?? settings.superuser, login.database, password]);
}

function keep(client: Client, key: string, database: string): Kept {
  const kept: Kept = { client, key, database, alive: true };
  client.on('end', () => (kept.alive = false));
  client.on('error', () => (kept.alive = false));
  return kept;
}

/** Runs `run` with connection reuse; every kept client is closed when it ends. */
export async function withRunConnections<T>(run: () => Promise<T>): Promise<T> {
  const scope: RunScope = { idle: [], leased: new Set(), forgotten: new WeakSet(), closed: false };
  try {
    return await scopes.run(scope, run);
  } finally {
    scope.closed = true;
    // The run's result is ready: its sessions say goodbye in the background.
    const idle = scope.idle
      .splice(0)
      .filter((k) => !k.lent)
      .map((k) => k.client.end());
    void Promise.allSettled(idle);
  }
}

/**
 * Runs `work` outside any run's sessions: for work a run hands off to run after it (its
 * housekeeping), which must neither borrow the run's sessions (one is the rebuild lock's,
 * closed when the run ends) nor keep sessions of its own.
 */
export function outsideRun<T>(work: () => Promise<T>): Promise<T> {
  return scopes.exit(work);
}

/**
 * A client for (database, role): a kept one when the run has it, else a new session.
 * `orAnyOf`: other logins whose kept session would do as well (reads every role may make);
 * `lease.login` says which one was given.
 */
export async function leaseClient(settings: ConnectionSettings, login: Login, options: { orAnyOf?: Login[] } = {}): Promise<Result<Lease>> {
  const scope = activeScope();
  if (!scope) {
    const opened = await openClient(settings, login);
    if (!opened.ok) return opened;
    const client = opened.value;
    return ok({ client, login, release: () => client.end().catch(() => undefined) });
  }
  const candidates = [login, ...(options.orAnyOf ?? [])].map((l) => ({ login: l, key: keyOf(settings, l) }));
  let kept: Kept | null = null;
  let given = login;
  for (const candidate of candidates) {
    const idleAt = scope.idle.findIndex((k) => k.key === candidate.key && k.alive);
    if (idleAt < 0) continue;
    kept = scope.idle.splice(idleAt, 1)[0];
    given = candidate.login;
    break;
  }
  if (!kept || !kept.alive) {
    given = login;
    const opened = await openClient(settings, login);
    if (!opened.ok) return opened;
    kept = keep(opened.value, keyOf(settings, login), login.database);
  }
  const lease = kept;
  scope.leased.add(lease);
  return ok({ client: lease.client, login: given, release: (release) => putBack(scope, lease, release?.broken ?? false, release?.stateless ?? false) });
}

async function putBack(scope: RunScope, kept: Kept, broken: boolean, stateless: boolean): Promise<void> {
  scope.leased.delete(kept);
  if (kept.lent) {
    if (!scope.closed && !scope.forgotten.has(kept)) scope.idle.push(kept);
    return;
  }
  if (broken || scope.closed || !kept.alive || scope.forgotten.has(kept)) {
    await kept.client.end().catch(() => undefined);
    return;
  }
  try {
    // Fails inside an unfinished transaction: such a client is not reused.
    if (!stateless) await kept.client.query('DISCARD ALL');
  } catch {
    await kept.client.end().catch(() => undefined);
    return;
  }
  if (scope.closed) await kept.client.end().catch(() => undefined);
  else scope.idle.push(kept);
}

/**
 * Before a database is renamed, dropped or copied: close the run's kept sessions on it
 * (and mark leased ones to close on release), so none blocks the change or outlives the
 * name it was opened by.
 */
export async function forgetConnectionsTo(database: string): Promise<void> {
  const scope = activeScope();
  if (!scope) return;
  for (const kept of scope.leased) if (kept.database === database) scope.forgotten.add(kept);
  const idle = scope.idle.filter((k) => k.database === database && !k.lent);
  scope.idle = scope.idle.filter((k) => k.database !== database || k.lent);
  await Promise.all(idle.map((k) => k.client.end().catch(() => undefined)));
}

/**
 * Lends a session its caller keeps owning (the rebuild lock's, which holds the advisory
 * lock) to the run, so the run needs one session fewer. It is never DISCARDed (that would
 * release the lock) nor closed by the run. The returned function takes it back.
 */
export function lendToRun(settings: ConnectionSettings, login: Login, client: Client): () => void {
  const scope = activeScope();
  if (!scope) return () => undefined;
  const kept = keep(client, keyOf(settings, login), login.database);
  kept.lent = true;
  scope.idle.push(kept);
  return () => {
    scope.forgotten.add(kept);
    scope.idle = scope.idle.filter((k) => k !== kept);
  };
}
