import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import { Client } from 'pg';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { withClient } from '../../electron/engine/db/connect';
import { takeSnapshot } from '../../electron/engine/gates/snapshots/safety-snapshots';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { runCli } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, databaseNames } from './reliability-helpers';

/**
 * Issue 19, point 2: a client that keeps reconnecting and committing (a local API server or
 * Celery worker left running) while a rebuild drops the database or a restore replaces it.
 * The drop used to end the sessions, snapshot, and drop, and the writer reconnected in
 * between: 13–25 committed rows lost per rebuild. Now the door is closed first
 * (ALLOW_CONNECTIONS false): every row the writer saw committed must be in the database or
 * in a snapshot.
 */
let pg: ThrowawayPostgres;
const DB = SKELDIR_PROFILE.database.name;

beforeAll(async () => {
  pg = await startThrowawayPostgres({ serverSettings: { max_prepared_transactions: '4' } });
});
afterAll(async () => {
  await pg?.stop();
});

const env = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'];

/** A superuser client that reconnects as fast as it can and commits one row per transaction, recording what it saw committed. */
function reconnectingWriter(): { committed: number[]; attempts: () => number; stop: () => Promise<void> } {
  const committed: number[] = [];
  let running = true;
  let next = 1;
  let attempts = 0;
  const loop = (async () => {
    while (running) {
      const client = new Client({ host: '127.0.0.1', port: pg.settings.port, user: pg.settings.superuser, password: pg.settings.password, database: DB });
      client.on('error', () => undefined);
      try {
        await client.connect();
        while (running) {
          const id = next++;
          attempts++;
          await client.query('INSERT INTO writes (id) VALUES ($1)', [id]);
          committed.push(id);
        }
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  })();
  return {
    committed,
    attempts: () => attempts,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Ids held by the `writes` table of a database; a template is read through a throwaway clone of it. */
async function idsIn(database: string): Promise<Set<number>> {
  let source = database;
  const names = await databaseNames(pg.settings);
  if (!names.includes(database)) return new Set();
  if (database !== DB) {
    source = 'check_copy';
    await adminQuery(pg.settings, [`DROP DATABASE IF EXISTS check_copy`, `CREATE DATABASE check_copy TEMPLATE "${database}"`]);
  }
  try {
    const exists = await adminQuery<{ t: string | null }>(pg.settings, "SELECT to_regclass('public.writes')::text AS t", [], source);
    if (!exists[0].t) return new Set();
    return new Set((await adminQuery<{ id: number }>(pg.settings, 'SELECT id FROM writes', [], source)).map((r) => r.id));
  } finally {
    if (source !== database) await adminQuery(pg.settings, 'DROP DATABASE IF EXISTS check_copy');
  }
}

async function snapshotsOnServer(): Promise<string[]> {
  return (await databaseNames(pg.settings)).filter((name) => name.startsWith(`${DB}__snap_`));
}

async function freshDatabaseWithTable(): Promise<void> {
  const boot = await bootstrap(freshSessions(pg.settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  expect(boot.ok).toBe(true);
  await adminQuery(pg.settings, ['CREATE TABLE IF NOT EXISTS writes (id int PRIMARY KEY)', 'INSERT INTO writes VALUES (0) ON CONFLICT DO NOTHING'], [], DB);
}

async function everyCommittedRowKept(committed: number[], where: string): Promise<void> {
  const found = new Set<number>();
  for (const name of [DB, ...(await snapshotsOnServer())]) for (const id of await idsIn(name)) found.add(id);
  const lost = committed.filter((id) => !found.has(id));
  console.log(`[reliability] reconnecting writer during ${where} -> ${committed.length} rows committed, ${lost.length} lost`);
  expect(lost).toEqual([]);
}

describe('a client that keeps reconnecting and writing', () => {
  it('loses no committed row to three dropping rebuilds (bootstrap --drop-existing)', async () => {
    for (let round = 0; round < 3; round++) {
      await freshDatabaseWithTable();
      const writer = reconnectingWriter();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const run = await runCli(['bootstrap', '--drop-existing', '--yes', ...flags()], env());
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writer.stop();
      expect(run.code, run.stderr).toBe(0);
      // The terminal names the snapshot's own restore command, ready to paste.
      const snapshot = /safety snapshot (\S+) taken first/.exec(run.stderr)?.[1];
      expect(snapshot, run.stderr).toBeDefined();
      expect(run.stderr).toContain(`(skeldir-rebuild restore ${snapshot}; skeldir-rebuild snapshots lists them)`);
      expect(writer.committed.length).toBeGreaterThan(0);
      await everyCommittedRowKept(writer.committed, `rebuild's drop (round ${round + 1})`);
      // The door was opened again: the new database takes connections.
      expect((await adminQuery<{ datallowconn: boolean }>(pg.settings, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [DB]))[0].datallowconn).toBe(
        true,
      );
    }
  }, 180_000);

  it('loses no committed row to a restore, and the restored database is the snapshot\u2019s', async () => {
    await freshDatabaseWithTable();
    const taken = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'snapshot', (admin) =>
      takeSnapshot(freshSessions(pg.settings), admin, DB, 'app_user'),
    );
    if (!taken.ok || !taken.value.ok) throw new Error('no snapshot');
    const source = taken.value.value.name;
    const inSource = await idsIn(source);
    const writer = reconnectingWriter();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const run = await runCli(['restore', source, '--yes', ...flags()], env());
    await writer.stop();
    expect(run.code, run.stderr).toBe(0);
    await everyCommittedRowKept(writer.committed, 'restore');
    // What the restored database holds beyond the snapshot's rows was written after the restore.
    const now = await idsIn(DB);
    for (const id of inSource) expect(now.has(id)).toBe(true);
  }, 120_000);

  it('a drop vetoed after the door closed (the snapshot cannot be made) opens the door again, and the rows stay', async () => {
    await freshDatabaseWithTable();
    // A prepared transaction on the database: no session to end, and it makes the copy refuse ("being accessed by other users").
    await adminQuery(pg.settings, ['BEGIN', 'INSERT INTO writes VALUES (-1)', "PREPARE TRANSACTION 'held'"], [], DB);
    const before = await idsIn(DB);
    const run = await runCli(['bootstrap', '--drop-existing', '--yes', ...flags()], env());
    await adminQuery(pg.settings, "COMMIT PREPARED 'held'", [], DB);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Not dropped: Could not copy/);
    expect((await adminQuery<{ datallowconn: boolean }>(pg.settings, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [DB]))[0].datallowconn).toBe(
      true,
    );
    expect(await idsIn(DB)).toEqual(new Set([...before, -1]));
  }, 90_000);
});
