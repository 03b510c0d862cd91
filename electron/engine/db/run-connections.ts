import { AsyncLocalStorage } from 'node:async_hooks';
import * as crypto from 'node:crypto';
import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { ok, type Result } from '../../../shared/errors/app-error';
import { openClient, type Login, type OpenOptions } from './open-client';

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

interface Opening {
  key: string;
  database: string;
  /** Resolves to the open client, or null when it could not be opened (the real lease will report why). */
  client: Promise<Kept | null>;
  /** Still waiting to give its password (see OpenOptions.passwordAfter): in no database yet. */
  gated: boolean;
  /** Makes a gated login give up (the run ended first). */
  giveUp: () => void;
}

interface RunScope {
  idle: Kept[];
  opening: Opening[];
  /** Clients leased out now, so `forget` can mark them to be closed on release. */
  leased: Set<Kept>;
  forgotten: WeakSet<Kept>;
  /** Sessions let go of early, still saying goodbye: forgetConnectionsTo waits for those on its database. */
  closing: { database: string; done: Promise<unknown> }[];
  /** Leases waiting for a session another lease holds (see leaseClient's `waitForHeld`). */
  waiters: { key: string; wake: () => void }[];
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
  const scope: RunScope = { idle: [], opening: [], leased: new Set(), forgotten: new WeakSet(), closing: [], waiters: [], closed: false };
  try {
    return await scopes.run(scope, run);
  } finally {
    scope.closed = true;
    for (const opening of scope.opening) if (opening.gated) opening.giveUp();
    for (const waiter of scope.waiters.splice(0)) waiter.wake();
    // The run's result is ready: its sessions say goodbye in the background.
    const opening = scope.opening.splice(0).map((o) => o.client.then((k) => k?.client.end()));
    const idle = scope.idle
      .splice(0)
      .filter((k) => !k.lent)
      .map((k) => k.client.end());
    void Promise.allSettled([...opening, ...idle]);
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
 * Starts opening these sessions now, side by side, so later leases find them ready.
 * Failures are dropped silently: the lease that needs the session opens it again and
 * reports the error in its own words. Outside a run this does nothing.
 */
export function prewarm(settings: ConnectionSettings, logins: Login[], options: OpenOptions = {}): void {
  const scope = activeScope();
  if (!scope) return;
  for (const login of logins) {
    const key = keyOf(settings, login);
    // A login the run already holds a session for (or is opening one) needs no second. A
    // gated session is for the database that will carry the name: the ones held now do not count.
    const gated = Boolean(options.passwordAfter);
    const held = !gated && [...scope.idle, ...scope.leased].some((k) => k.key === key && k.alive && !scope.forgotten.has(k));
    if (held || scope.opening.some((o) => o.key === key && o.gated === gated)) continue;
    // A gated login also gives up when the run ends first: nothing is left waiting on the server.
    let giveUp = (): void => undefined;
    const gate = options.passwordAfter;
    const passwordAfter = gate
      ? new Promise<void>((resolve, reject) => {
          gate.then(resolve, reject);
          giveUp = () => reject(new Error('the run ended before the database was ready'));
        })
      : undefined;
    passwordAfter?.catch(() => undefined);
    const opening: Opening = {
      key,
      database: login.database,
      client: openClient(settings, login, { passwordAfter }).then((opened) => (opened.ok ? keep(opened.value, key, login.database) : null)),
      gated,
      giveUp,
    };
    passwordAfter?.then(
      () => (opening.gated = false),
      () => undefined,
    );
    scope.opening.push(opening);
    void opening.client.then((kept) => {
      const at = scope.opening.indexOf(opening);
      if (at < 0) return; // already taken by a lease, or the run ended
      scope.opening.splice(at, 1);
      if (kept) scope.idle.push(kept);
    });
  }
}

/**
 * A client for (database, role): a kept one when the run has it, else a new session.
 * `orAnyOf`: other logins whose kept session would do as well (reads every role may make);
 * `lease.login` says which one was given. `waitForHeld`: when another lease holds such a
 * session right now, wait for it to come back rather than open a second one (for work
 * running alongside a gate, such as the closing diagnosis beside VERIFY; never while the
 * caller itself holds that session).
 */
export async function leaseClient(
  settings: ConnectionSettings,
  login: Login,
  options: { orAnyOf?: Login[]; waitForHeld?: boolean } = {},
): Promise<Result<Lease>> {
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
  for (const candidate of kept ? [] : candidates) {
    // Not one still waiting to give its password: it is for whatever database will carry the name.
    const openingAt = scope.opening.findIndex((o) => o.key === candidate.key && !o.gated);
    if (openingAt < 0) continue;
    kept = await scope.opening.splice(openingAt, 1)[0].client;
    given = candidate.login;
    break;
  }
  if (!kept && options.waitForHeld) {
    const held = candidates.find((candidate) => [...scope.leased].some((k) => k.key === candidate.key && k.alive && !scope.forgotten.has(k)));
    if (held) {
      await new Promise<void>((wake) => scope.waiters.push({ key: held.key, wake }));
      return leaseClient(settings, login, options);
    }
  }
  if (!kept || !kept.alive) {
    given = login;
    const opened = await openClient(settings, login);
    if (!opened.ok) return opened;
    kept = keep(opened.value, keyOf(settings, login), login.database);
  }
  const lease = kept;
  scope.leased.add(lease);
  return ok({ client: lease.client, login: given, release: (release) => giveBack(scope, lease, release?.broken ?? false, release?.stateless ?? false) });
}

async function giveBack(scope: RunScope, kept: Kept, broken: boolean, stateless: boolean): Promise<void> {
  try {
    await putBack(scope, kept, broken, stateless);
  } finally {
    // Whether it was kept or closed, a lease waiting for it may go on now.
    const at = scope.waiters.findIndex((waiter) => waiter.key === kept.key);
    if (at >= 0) scope.waiters.splice(at, 1)[0].wake();
  }
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
 * Whether the run holds a session for this login, or is opening one that succeeds (then
 * awaited). Never opens one: a session that opened proves the login works and its
 * database exists. Outside a run: false.
 */
export async function holdsSession(settings: ConnectionSettings, login: Login): Promise<boolean> {
  const scope = activeScope();
  if (!scope) return false;
  const key = keyOf(settings, login);
  if ([...scope.idle, ...scope.leased].some((k) => k.key === key && k.alive && !scope.forgotten.has(k))) return true;
  const opening = scope.opening.find((o) => o.key === key && !o.gated);
  return opening ? (await opening.client) !== null : false;
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
  scope.idle = scope.idle.filter((k) => k.database !== database);
  // A session still waiting to give its password is in no database yet: it neither
  // blocks this change nor belongs to the database that carries the name now.
  const opening = scope.opening.filter((o) => o.database === database && !o.gated);
  scope.opening = scope.opening.filter((o) => o.database !== database || o.gated);
  const closing = scope.closing.filter((c) => c.database === database).map((c) => c.done);
  scope.closing = scope.closing.filter((c) => c.database !== database);
  const pending = (await Promise.all(opening.map((o) => o.client))).filter((k): k is Kept => k !== null);
  await Promise.all([...closing, ...[...idle, ...pending].map((k) => k.client.end().catch(() => undefined))]);
}

/**
 * Starts closing the run's idle session for this login now, without waiting: for a
 * session the run will not need again (the old database's, in a rebuild that drops it),
 * so its goodbye overlaps other work instead of delaying the rename.
 */
export function letGo(settings: ConnectionSettings, login: Login): void {
  const scope = activeScope();
  if (!scope) return;
  const key = keyOf(settings, login);
  const going = scope.idle.filter((k) => k.key === key && !k.lent);
  scope.idle = scope.idle.filter((k) => !going.includes(k));
  for (const kept of going) scope.closing.push({ database: kept.database, done: kept.client.end().catch(() => undefined) });
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
