import type { Client } from 'pg';
import { freshSessions, RunSessions, type Sessions } from '../../../../electron/engine/db/run-sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient, withClient } from '../../../../electron/engine/db/connect';
import { readInsideDatabase } from '../../../../electron/engine/db/read-inside';
import { setMissingDatabaseSettings } from '../../../../electron/engine/db/database-level';
import { renameDatabase } from '../../../../electron/engine/copies/database-copies';
import { scramSha256Verifier } from '../../../../electron/engine/db/scram';
import type { Profile } from '../../../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * Sessions reused within one run (electron/engine/db/run-sessions): reuse really
 * happens (same backend pid), leaks nothing between users, never blocks or misdirects a
 * rename, and never hands out a session that predates a settings change.
 */
let pg: ThrowawayPostgres;
const DB = 'reuse_db';
const PROFILE: Profile = { ...SKELDIR_PROFILE, database: { ...SKELDIR_PROFILE.database, name: DB } };

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const result = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'test setup', work);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Runs `work` with one run's sessions, closed when it ends (as runPipeline does). */
async function inRun<T>(work: (sessions: RunSessions) => Promise<T>): Promise<T> {
  const sessions = new RunSessions(pg.settings);
  try {
    return await work(sessions);
  } finally {
    sessions.close();
  }
}

async function pidOf(sessions: Sessions, login: { database: string; user?: string; password?: string }): Promise<number> {
  const lease = await sessions.lease(login);
  if (!lease.ok) throw new Error(lease.error.message);
  try {
    return (await lease.value.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  } finally {
    await lease.value.release();
  }
}

/** Our sessions on a database, as the server sees them (polls: closing is asynchronous). */
async function sessionsOn(database: string, settle: (n: number) => boolean = () => true): Promise<number> {
  for (let i = 0; ; i++) {
    const n = await admin(
      async (c) =>
        (
          await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'skeldir-rebuild'", [
            database,
          ])
        ).rows[0].n,
    );
    if (settle(n) || i >= 50) return n;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The application role's login to the test database. */
function appLogin(): { database: string; user: string; password: string } {
  const app = PROFILE.roles.find((r) => r.name === PROFILE.applicationRole);
  if (!app) throw new Error('profile without an application role');
  return { database: DB, user: app.name, password: app.password };
}

/** Undoes a test's swap: drops the database made in its place and renames the original back. */
async function putOriginalBack(): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE ${DB}`);
    await c.query(`ALTER DATABASE reuse_db_aside RENAME TO ${DB}`);
  });
}

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  const app = appLogin();
  await admin(async (c) => {
    await c.query(`CREATE ROLE ${app.user} LOGIN PASSWORD '${scramSha256Verifier(app.password)}'`);
    await c.query(`CREATE DATABASE ${DB} OWNER ${app.user}`);
  });
});
afterAll(async () => {
  await pg?.stop();
});

describe('sessions within one run', () => {
  it('hands the same session to consecutive leases, and fresh sessions a new one each time', async () => {
    const [first, second] = await inRun(async (s) => [await pidOf(s, { database: DB }), await pidOf(s, { database: DB })]);
    expect(second).toBe(first);
    const fresh = freshSessions(pg.settings);
    const outside = [await pidOf(fresh, { database: DB }), await pidOf(fresh, { database: DB })];
    expect(outside[1]).not.toBe(outside[0]);
  });

  it('resets session state between users (DISCARD ALL), and does not reuse a session left in a failed transaction', async () => {
    await inRun(async (sessions) => {
      const first = await sessions.lease({ database: DB });
      if (!first.ok) throw new Error(first.error.message);
      await first.value.client.query("SET application_name = 'leaked'");
      await first.value.client.query("SELECT set_config('app.current_tenant_id', 'leaked', false)");
      const pid = (await first.value.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await first.value.release();

      const second = await sessions.lease({ database: DB });
      if (!second.ok) throw new Error(second.error.message);
      const row = (
        await second.value.client.query<{ pid: number; app: string; tenant: string | null }>(
          "SELECT pg_backend_pid() AS pid, current_setting('application_name') AS app, current_setting('app.current_tenant_id', true) AS tenant",
        )
      ).rows[0];
      expect(row.pid).toBe(pid);
      expect(row.app).toBe('skeldir-rebuild');
      expect(row.tenant ?? '').toBe('');
      await second.value.client.query('BEGIN');
      await second.value.client.query('SELECT 1/0').catch(() => undefined);
      await second.value.release();

      expect(await pidOf(sessions, { database: DB })).not.toBe(pid);
    });
  });

  it('closes every kept session when the run ends', async () => {
    await inRun(async (sessions) => {
      await pidOf(sessions, { database: DB });
      expect(await sessionsOn(DB, (n) => n === 1)).toBe(1);
    });
    expect(await sessionsOn(DB, (n) => n === 0)).toBe(0);
  });

  it('forgets the sessions of a database before it is renamed: the rename is not blocked, and the name then leads to the new database', async () => {
    await inRun(async (sessions) => {
      const before = await pidOf(sessions, { database: DB });
      await admin(async (c) => {
        await renameDatabase(sessions, c, DB, 'reuse_db_aside');
        await c.query(`CREATE DATABASE ${DB}`);
      });
      const lease = await sessions.lease({ database: DB });
      if (!lease.ok) throw new Error(lease.error.message);
      const row = (await lease.value.client.query<{ pid: number; db: string }>('SELECT pg_backend_pid() AS pid, current_database() AS db')).rows[0];
      await lease.value.release();
      expect(row.pid).not.toBe(before);
      expect(row.db).toBe(DB);
      // The renamed-aside database had only our session on it, and it is gone.
      expect(await sessionsOn('reuse_db_aside', (n) => n === 0)).toBe(0);
    });
    await putOriginalBack();
  });

  it('after a change of the database settings and forget(), never hands out a session that predates it', async () => {
    const app = appLogin();
    const setting = 'app.reuse_probe';
    const seen = await inRun(async (sessions) => {
      const before = await pidOf(sessions, app);
      await admin((c) => setMissingDatabaseSettings(c, DB, [{ name: setting, value: 'after' }]));
      await sessions.forget(DB);
      const lease = await sessions.lease(app);
      if (!lease.ok) throw new Error(lease.error.message);
      const row = (
        await lease.value.client.query<{ pid: number; value: string | null }>('SELECT pg_backend_pid() AS pid, current_setting($1, true) AS value', [setting])
      ).rows[0];
      await lease.value.release();
      return { before, ...row };
    });
    expect(seen.pid).not.toBe(seen.before);
    expect(seen.value).toBe('after');
  });

  it('reads inside a database on the application role\u2019s session when the run holds only that one', async () => {
    const app = appLogin();
    await inRun(async (sessions) => {
      const appPid = await pidOf(sessions, app);
      const read = await readInsideDatabase(
        sessions,
        PROFILE,
        'probe',
        async (c) => (await c.query<{ pid: number; who: string }>('SELECT pg_backend_pid() AS pid, current_user AS who')).rows[0],
      );
      expect(read.ok && read.value).toEqual({ pid: appPid, who: PROFILE.applicationRole });
      // A read the application role may not make falls back to the superuser.
      const superOnly = await readInsideDatabase(
        sessions,
        PROFILE,
        'probe',
        async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_authid')).rows[0].n,
      );
      expect(superOnly.ok && superOnly.value).toBeGreaterThan(0);
    });
  });

  it('lends a session it does not own (the rebuild lock\u2019s) without DISCARDing or closing it', async () => {
    const lockSession = await openClient(pg.settings, { database: 'postgres' });
    if (!lockSession.ok) throw new Error(lockSession.error.message);
    const client = lockSession.value;
    await client.query('SELECT pg_advisory_lock(4242)');
    const lockPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const used = await inRun(async (sessions) => {
      const takeBack = sessions.lend({ database: 'postgres' }, client);
      const pids = [await pidOf(sessions, { database: 'postgres' }), await pidOf(sessions, { database: 'postgres' })];
      takeBack();
      return pids;
    });
    expect(used).toEqual([lockPid, lockPid]);
    // Still open, still holding its advisory lock.
    const held = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")).rows[0]
      .n;
    expect(held).toBe(1);
    await client.end();
  });

  it('fresh sessions keep nothing, so forget() has nothing to close', async () => {
    await expect(freshSessions(pg.settings).forget(DB)).resolves.toBeUndefined();
  });
});
