import { spawn } from 'node:child_process';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { withClient } from '../../electron/engine/db/connect';
import { acquireRebuildLock } from '../../electron/engine/safety/rebuild-lock';
import { restoreSnapshot, takeSnapshot } from '../../electron/engine/gates/snapshots/safety-snapshots';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { CLI_PATH, runCli, type CliRun } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, databaseNames, rowsFingerprint } from './reliability-helpers';

/**
 * Issue 19, point 5: every destructive command takes the rebuild's lock. A restore used to
 * replace the database under a running rebuild's R4; a prune during a restore removed the
 * restore's source, leaving no database, and the error did not say where the data was.
 */
let pg: ThrowawayPostgres;
const DB = SKELDIR_PROFILE.database.name;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const env = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'];

async function databaseWithRowsAndSnapshot(rows: number): Promise<string> {
  await adminQuery(pg.settings, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  const boot = await bootstrap(freshSessions(pg.settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  expect(boot.ok).toBe(true);
  await adminQuery(
    pg.settings,
    ['CREATE TABLE precious (id int, note text)', `INSERT INTO precious SELECT g, repeat(md5(g::text), 20) FROM generate_series(1, ${rows}) g`],
    [],
    DB,
  );
  const taken = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'snapshot', (admin) =>
    takeSnapshot(freshSessions(pg.settings), admin, DB, 'app_user'),
  );
  if (!taken.ok || !taken.value.ok) throw new Error('no snapshot');
  return taken.value.value.name;
}

/** Starts the CLI without waiting (for two commands at once). */
function startCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, PGPASSWORD: '', ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('one lock for every destructive command', () => {
  it('while a rebuild holds the lock, restore and prune are refused and change nothing', async () => {
    const snap = await databaseWithRowsAndSnapshot(100);
    await adminQuery(pg.settings, 'DELETE FROM precious WHERE id > 50', [], DB);
    const before = await rowsFingerprint(pg.settings, DB);
    const lock = await acquireRebuildLock({
      settings: pg.settings,
      database: DB,
      owner: { pid: process.pid, startedAt: new Date().toISOString(), command: 'rebuild' },
    });
    if (!lock.ok) throw new Error(lock.error.message);
    try {
      const restore = await runCli(['restore', snap, '--yes', ...flags()], env());
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain('A rebuild is already running');
      const prune = await runCli(['prune', '--keep', '0', '--yes', ...flags()], env());
      expect(prune.code).toBe(1);
      expect(prune.stderr).toContain('A rebuild is already running');
      console.log(
        `[reliability] restore and prune while a rebuild holds the lock -> exit ${restore.code}/${prune.code}: ${restore.stderr.split('\n').find((l) => l.includes('already running'))}`,
      );
    } finally {
      await lock.value.release();
    }
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
    expect(await databaseNames(pg.settings)).toContain(snap);
  }, 120_000);

  it('prune started during a restore never leaves the profile without its database, and the restore finishes or is refused whole', async () => {
    const snap = await databaseWithRowsAndSnapshot(40_000);
    const inSnapshot = await rowsFingerprint(pg.settings, DB);
    await adminQuery(pg.settings, 'DELETE FROM precious WHERE id % 2 = 0', [], DB);
    const current = await rowsFingerprint(pg.settings, DB);
    const restoring = startCli(['restore', snap, '--yes', ...flags()]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const pruning = startCli(['prune', '--keep', '0', '--yes', ...flags()]);
    const [restore, prune] = await Promise.all([restoring, pruning]);
    console.log(
      `[reliability] prune --keep 0 during restore -> restore exit ${restore.code}, prune exit ${prune.code}: ${(prune.stderr.split('\n').find((l) => l.includes('error')) ?? prune.stdout).trim()}`,
    );
    expect(await databaseNames(pg.settings)).toContain(DB);
    const now = await rowsFingerprint(pg.settings, DB);
    if (restore.code === 0) expect(now).toEqual(inSnapshot);
    else expect(now).toEqual(current);
    // Whichever ran second saw the other's lock, or ran after it had finished: never both at once.
    expect(restore.code === 0 || prune.code === 0).toBe(true);
  }, 180_000);

  it('a restore that fails after the drop names the snapshot that holds the data, and that snapshot restores byte for byte', async () => {
    const snap = await databaseWithRowsAndSnapshot(100);
    await adminQuery(pg.settings, "INSERT INTO precious VALUES (1000, 'after the snapshot')", [], DB);
    const current = await rowsFingerprint(pg.settings, DB);
    // The copy is created for an owner that does not exist: it fails after the current database was dropped.
    const ghost = { ...SKELDIR_PROFILE, database: { name: DB, owner: 'no_such_owner' } };
    const failed = await restoreSnapshot(pg.settings, ghost, snap);
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    const held = /kept as snapshot (\S+)\./.exec(failed.error.message)?.[1];
    expect(held).toBeDefined();
    expect(failed.error.remediation).toContain(`Restore ${held} to put it back.`);
    expect(failed.error.action).toBe('restore-snapshot');
    expect(failed.error.actionTarget).toBe(held);
    console.log(`[reliability] restore failing after the drop -> ${failed.error.message}`);
    const again = await runCli(['restore', String(held), '--yes', ...flags()], env());
    expect(again.code, again.stderr).toBe(0);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(current);
  }, 120_000);
});
