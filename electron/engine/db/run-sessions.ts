import * as crypto from 'node:crypto';
import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { ok, type Result } from '../../../shared/errors/app-error';
import { openClient, type Login } from './open-client';
import { sqlText } from './sql-files';

/** A leased session; `login` says which of the asked-for logins it was opened with. */
export interface Lease {
  client: Client;
  login: Login;
  /**
   * Gives the client back (kept for reuse by a run, closed otherwise). `broken`: close it.
   * `stateless`: nothing ran on it but plain reads outside a transaction, so there is
   * nothing to DISCARD.
   */
  release(options?: { broken?: boolean; stateless?: boolean }): Promise<void>;
}

/**
 * Where the engine gets its PostgreSQL sessions: handed to every module that talks to the
 * server, so whether sessions are reused is decided by whoever created this object (the
 * pipeline: `RunSessions`; a one-off command: `freshSessions`), never by hidden state.
 */
export interface Sessions {
  readonly settings: ConnectionSettings;
  /** The superuser's session on `database` (default `postgres`). */
  superuser(database?: string): Promise<Result<Lease>>;
  /** Starts logging in as `logins` now; the first lease of each takes that session (a run's sessions only: elsewhere nothing). */
  openAhead(logins: Login[]): void;
  /** A session as `login`, or as one of `orAnyOf` when one of those is kept (reads any of them may make). */
  lease(login: Login, options?: { orAnyOf?: Login[] }): Promise<Result<Lease>>;
  /**
   * Before a database is renamed, dropped, copied or its settings change: closes the kept
   * sessions on it and marks leased ones to close on release, so none blocks the change,
   * outlives its name or misses the new settings.
   */
  forget(database: string): Promise<void>;
  /** Closes every kept session (in the background: the run's result is already known). */
  close(): void;
}

/** Sessions opened per lease and closed on release: for commands that run outside a pipeline. */
export function freshSessions(settings: ConnectionSettings): Sessions {
  return {
    settings,
    superuser: (database = 'postgres') => openLease(settings, { database }),
    lease: (login) => openLease(settings, login),
    openAhead: () => undefined,
    forget: async () => undefined,
    close: () => undefined,
  };
}

async function openLease(settings: ConnectionSettings, login: Login): Promise<Result<Lease>> {
  const opened = await openClient(settings, login);
  if (!opened.ok) return opened;
  const client = opened.value;
  return ok({ client, login, release: () => client.end().catch(() => undefined) });
}

interface Kept {
  client: Client;
  key: string;
  database: string;
  alive: boolean;
  /** Lent by its owner (the rebuild lock's session): never DISCARDed, never closed here. */
  lent: boolean;
}

/**
 * One pipeline run's sessions, reused: opening one costs a backend fork, a SCRAM exchange
 * and a cold catalog cache (about 20 ms), and a warm rebuild would otherwise open a dozen. A
 * session given back is kept after `DISCARD ALL` (no state leaks to the next user) and
 * handed to the next lease for the same server, role, password and database.
 */
export class RunSessions implements Sessions {
  private idle: Kept[] = [];
  private readonly leased = new Set<Kept>();
  private readonly forgotten = new WeakSet<Kept>();
  /** Sessions asked for ahead (see `openAhead`), by key, until a lease takes them. */
  private readonly opening = new Map<string, { database: string; opened: Promise<Result<Client>> }>();
  private closed = false;

  constructor(readonly settings: ConnectionSettings) {}

  /**
   * Starts logging in as `logins` now, side by side with what the run does next (reading the
   * repository, E1's first questions); the first lease of each takes the session, or its
   * error. A backend start costs about 20 ms, and overlaps well with the run's
   * own work: the pipeline asks ahead for E1's login and for the drop step's session inside.
   */
  openAhead(logins: Login[]): void {
    if (this.closed) return;
    for (const login of logins) {
      const key = this.keyOf(login);
      if (!this.opening.has(key)) this.opening.set(key, { database: login.database, opened: openClient(this.settings, login) });
    }
  }

  superuser(database = 'postgres'): Promise<Result<Lease>> {
    return this.lease({ database });
  }

  async lease(login: Login, options: { orAnyOf?: Login[] } = {}): Promise<Result<Lease>> {
    if (this.closed) return openLease(this.settings, login);
    const candidates = [login, ...(options.orAnyOf ?? [])];
    let kept: Kept | null = null;
    let given = login;
    for (const candidate of candidates) {
      const at = this.idle.findIndex((k) => k.key === this.keyOf(candidate) && k.alive);
      if (at < 0) continue;
      kept = this.idle.splice(at, 1)[0];
      given = candidate;
      break;
    }
    if (!kept) {
      // A session being opened ahead for one of the candidates serves as well as a kept one.
      given = candidates.find((candidate) => this.opening.has(this.keyOf(candidate))) ?? login;
      const opened = (await this.takeAhead(given)) ?? (await openClient(this.settings, given));
      if (!opened.ok) return opened;
      kept = this.keep(opened.value, given, false);
    }
    const lease = kept;
    this.leased.add(lease);
    return ok({ client: lease.client, login: given, release: (how) => this.giveBack(lease, how?.broken ?? false, how?.stateless ?? false) });
  }

  async forget(database: string): Promise<void> {
    for (const [key, ahead] of this.opening) {
      if (ahead.database !== database) continue;
      this.opening.delete(key);
      this.discard(ahead.opened);
    }
    for (const kept of this.leased) if (kept.database === database) this.forgotten.add(kept);
    const going = this.idle.filter((k) => k.database === database && !k.lent);
    this.idle = this.idle.filter((k) => !going.includes(k));
    await Promise.all(going.map((k) => k.client.end().catch(() => undefined)));
  }

  /**
   * Lends a session its caller keeps owning (the rebuild lock's, which holds the advisory
   * lock), so the run needs one fewer. Returns the function that takes it back.
   */
  lend(login: Login, client: Client): () => void {
    const kept = this.keep(client, login, true);
    this.idle.push(kept);
    return () => {
      this.forgotten.add(kept);
      this.idle = this.idle.filter((k) => k !== kept);
    };
  }

  close(): void {
    this.closed = true;
    for (const ahead of this.opening.values()) this.discard(ahead.opened);
    this.opening.clear();
    const going = this.idle.splice(0).filter((k) => !k.lent);
    void Promise.allSettled(going.map((k) => k.client.end()));
  }

  /** The session opened ahead for this login, if one was asked for and not yet taken. */
  private takeAhead(login: Login): Promise<Result<Client>> | null {
    const key = this.keyOf(login);
    const ahead = this.opening.get(key);
    if (!ahead) return null;
    this.opening.delete(key);
    return ahead.opened;
  }

  /** A session opened ahead that nobody will take (its database was forgotten, the run ended) closes as soon as it is open. */
  private discard(opened: Promise<Result<Client>>): void {
    void opened.then((result) => (result.ok ? result.value.end().catch(() => undefined) : undefined));
  }

  private keyOf(login: Login): string {
    // The password is part of the key (a session proves its login), hashed so no key ever holds it.
    const password = crypto
      .createHash('sha256')
      .update(login.password ?? this.settings.password)
      .digest('hex');
    return JSON.stringify([login.user ?? this.settings.superuser, login.database, password]);
  }

  private keep(client: Client, login: Login, lent: boolean): Kept {
    const kept: Kept = { client, key: this.keyOf(login), database: login.database, alive: true, lent };
    client.on('end', () => (kept.alive = false));
    client.on('error', () => (kept.alive = false));
    return kept;
  }

  private async giveBack(kept: Kept, broken: boolean, stateless: boolean): Promise<void> {
    this.leased.delete(kept);
    if (kept.lent) {
      if (!this.closed && !this.forgotten.has(kept)) this.idle.push(kept);
      return;
    }
    if (broken || this.closed || !kept.alive || this.forgotten.has(kept)) {
      await kept.client.end().catch(() => undefined);
      return;
    }
    try {
      // Fails inside an unfinished transaction: such a client is not reused.
      if (!stateless) await kept.client.query(sqlText('sessions/discard-session-state'));
    } catch {
      await kept.client.end().catch(() => undefined);
      return;
    }
    if (this.closed) await kept.client.end().catch(() => undefined);
    else this.idle.push(kept);
  }
}
