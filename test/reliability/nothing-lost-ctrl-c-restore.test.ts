import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../electron/engine/db/connect';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import { takeSnapshot } from '../../electron/engine/gates/snapshots/safety-snapshots';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { CLI_PATH } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, bootstrappedWithRows, databaseNames, rowsFingerprint, waitFor } from './reliability-helpers';

/**
 * Ctrl-C during `restore NAME --yes` used to exit 130 at once, saying nothing, while
 * PostgreSQL went on: a signal during the copy into the database left it restored without
 * its settings and grants (the steps after the copy never ran), one during the snapshot of
 * the database being replaced left that database closed to connections, and the rebuild
 * lock file stayed behind. Now the restore stops before the database is replaced (the
 * snapshot copy is cancelled on the server) or, once it is replaced, finishes, and says so.
 */
let pg: ThrowawayPostgres;
const DB = SKELDIR_PROFILE.database.name;
/** The snapshot each case restores, and the fingerprints of its rows and of the database it replaces. */
let source: string;
let sourceRows: Record<string, string>;
let current: Record<string, string>;
/** The database-level settings and grants bootstrap gave the database: a restore must leave them in place. */
let levelBefore: DatabaseLevel;

interface DatabaseLevel {
  settings: string[] | null;
  acl: string | null;
}

async function databaseLevel(): Promise<DatabaseLevel> {
  const settings = await adminQuery<{ setconfig: string[] }>(
    pg.settings,
    'SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1 AND s.setrole = 0',
    [DB],
  );
  const acl = await adminQuery<{ acl: string | null }>(pg.settings, 'SELECT datacl::text AS acl FROM pg_database WHERE datname = $1', [DB]);
  return { settings: settings[0]?.setconfig ?? null, acl: acl[0]?.acl ?? null };
}

/** The rows of a snapshot, read through a door opened for the moment (a snapshot refuses connections, so no clone of it fails). */
async function snapshotRows(snapshot: string): Promise<Record<string, string>> {
  await adminQuery(pg.settings, `ALTER DATABASE "${snapshot}" WITH ALLOW_CONNECTIONS true`);
  try {
    return await rowsFingerprint(pg.settings, snapshot);
  } finally {
    await adminQuery(pg.settings, `ALTER DATABASE "${snapshot}" WITH ALLOW_CONNECTIONS false`);
  }
}

const snapshotsOfDb = async () => (await databaseNames(pg.settings)).filter((name) => name.startsWith(`${DB}__snap_`));
/** A CREATE DATABASE still running on the server: what the old code left behind when it exited. */
const copiesRunning = async () =>
  (await adminQuery(pg.settings, "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query ILIKE 'CREATE DATABASE%' AND pid <> pg_backend_pid()"))
    .length;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  // Big enough that each whole-database copy takes a while (WAL-logged, block by block).
  await bootstrappedWithRows(pg.settings, 400_000, 6);
  levelBefore = await databaseLevel();
  const taken = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'snapshot', (admin) =>
    takeSnapshot(freshSessions(pg.settings), admin, DB, SKELDIR_PROFILE.database.owner),
  );
  if (!taken.ok || !taken.value.ok) throw new Error('no snapshot');
  source = taken.value.value.name;
  sourceRows = await rowsFingerprint(pg.settings, DB);
  // The database the restore replaces differs from the snapshot, so the test can tell which one it sees.
  await adminQuery(pg.settings, "INSERT INTO precious VALUES (0, 'written after the snapshot')", [], DB);
  current = await rowsFingerprint(pg.settings, DB);
}, 180_000);
afterAll(async () => {
  await pg?.stop();
});

interface InterruptedRestore {
  code: number | null;
  output: string;
  /** The folder the command's rebuild lock file went to (its own TMPDIR). */
  lockDir: string;
}

/** `restore` with the SIGINT a terminal's Ctrl-C sends its process group, sent once `copying` shows in pg_stat_activity. */
async function restoreInterruptedWhile(copying: string): Promise<InterruptedRestore> {
  const tmp = makeTempDir('skeldir-restore-ctrl-c-');
  const child = spawn(process.execPath, [CLI_PATH, 'restore', source, '--yes', '--no-progress', '--host', '127.0.0.1', '--port', String(pg.settings.port)], {
    env: { ...process.env, PGPASSWORD: '', SKELDIR_SUPERUSER_PASSWORD: pg.settings.password, NO_COLOR: '1', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const seen = await waitFor(
    async () => (await adminQuery(pg.settings, 'SELECT 1 FROM pg_stat_activity WHERE query ILIKE $1', [copying])).length > 0,
    60_000,
    10,
  );
  expect(seen, output).toBe(true);
  process.kill(-(child.pid as number), 'SIGINT');
  return { code: await closed, output, lockDir: path.join(tmp, 'skeldir-rebuild-locks') };
}

const lockFilesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.lock')) : []);

describe('Ctrl-C during restore', () => {
  it('while the database being replaced is snapshotted: the copy is cancelled on the server, the database stays as it was, exit 130', async () => {
    const run = await restoreInterruptedWhile(`CREATE DATABASE ${DB}__snap_% TEMPLATE ${DB} %`);
    console.log(
      `[reliability] Ctrl-C during restore's snapshot of ${DB} -> exit ${run.code}; last lines: ${run.output.trim().split('\n').slice(-2).join(' | ')}`,
    );
    expect(run.code, run.output).toBe(130);
    expect(run.output).toMatch(/^cancelling: /m);
    expect(run.output).toContain(`Not restored: the restore was cancelled before "${DB}" was replaced, so it is as it was.`);
    expect(run.output).toContain(`skeldir-rebuild restore ${source}`);
    expect(await copiesRunning()).toBe(0);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(current);
    const row = await adminQuery<{ datallowconn: boolean }>(pg.settings, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [DB]);
    expect(row[0]?.datallowconn).toBe(true);
    expect(await databaseLevel()).toEqual(levelBefore);
    // The cancelled copy left nothing: no new snapshot, no half-made database.
    expect(await snapshotsOfDb()).toEqual([source]);
    expect(lockFilesIn(run.lockDir)).toEqual([]);
  }, 180_000);

  it('while the snapshot is copied into the database: the restore is finished with its settings and grants, the replaced one kept, exit 130', async () => {
    const run = await restoreInterruptedWhile(`CREATE DATABASE ${DB} TEMPLATE ${DB}__snap_%`);
    console.log(
      `[reliability] Ctrl-C during restore's copy into ${DB} -> exit ${run.code}; last lines: ${run.output.trim().split('\n').slice(-2).join(' | ')}`,
    );
    expect(run.code, run.output).toBe(130);
    expect(run.output).toMatch(/^cancelling: /m);
    expect(run.output).toContain('the restore was finished rather than left half-made');
    const previous = (await snapshotsOfDb()).find((name) => name !== source);
    expect(previous, run.output).toBeDefined();
    expect(run.output).toContain(`the database it replaced is kept as ${previous} (to put it back: skeldir-rebuild restore ${previous})`);
    expect(await copiesRunning()).toBe(0);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(sourceRows);
    expect(await databaseLevel()).toEqual(levelBefore);
    expect(await snapshotRows(previous as string)).toEqual(current);
    expect(lockFilesIn(run.lockDir)).toEqual([]);
  }, 180_000);
});
