import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { withClient } from '../../electron/engine/db/connect';
import { takeSnapshot } from '../../electron/engine/gates/snapshots/safety-snapshots';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { runCli } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, rowsFingerprint } from './reliability-helpers';

/**
 * Issue 19, point 4: a database left invalid by a crash during DROP DATABASE (PostgreSQL
 * 15.4+ first commits datconnlimit = -2, then removes the files; a crash or a full disk in
 * between leaves it so). Restore used to fail with "cannot use invalid database as
 * template", rebuild refused with "Could not check …", diagnose reported missing tables.
 * The state is made as the server makes it, by setting datconnlimit = -2 in the catalog.
 */
let pg: ThrowawayPostgres;
const DB = SKELDIR_PROFILE.database.name;
let snapshot: string;
let before: Record<string, string>;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  const boot = await bootstrap(freshSessions(pg.settings), SKELDIR_PROFILE, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
  expect(boot.ok).toBe(true);
  await adminQuery(
    pg.settings,
    ['CREATE TABLE precious (id int, note text)', 'INSERT INTO precious SELECT g, md5(g::text) FROM generate_series(1, 500) g'],
    [],
    DB,
  );
  before = await rowsFingerprint(pg.settings, DB);
  const taken = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'snapshot', (admin) =>
    takeSnapshot(freshSessions(pg.settings), admin, DB, 'app_user'),
  );
  if (!taken.ok || !taken.value.ok) throw new Error('no snapshot');
  snapshot = taken.value.value.name;
});
afterAll(async () => {
  await pg?.stop();
});

const env = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'];
const leaveInvalid = () => adminQuery(pg.settings, 'UPDATE pg_database SET datconnlimit = -2 WHERE datname = $1', [DB]);

describe('a database an interrupted DROP DATABASE left invalid', () => {
  it('diagnose says so (and not "missing tables"), naming the ways out', async () => {
    await leaveInvalid();
    const run = await runCli(['diagnose', ...flags()], env());
    const report = JSON.parse(run.stdout) as RunReport;
    const ids = report.findings.map((f) => f.id);
    expect(ids).toContain('DATABASE-INVALID');
    expect(ids).not.toContain('TABLES-MISSING');
    const finding = report.findings.find((f) => f.id === 'DATABASE-INVALID');
    console.log(`[reliability] invalid database, diagnose -> ${finding?.id}: ${finding?.evidence}`);
    expect(finding?.evidence).toMatch(/or restore one of its snapshots\.$/);
    expect(finding?.action).toBe('restore-snapshot');
    expect(run.stderr).toContain('(skeldir-rebuild restore NAME; skeldir-rebuild snapshots lists them)');
  }, 60_000);

  it('restore puts the newest snapshot back over it, byte for byte', async () => {
    await leaveInvalid();
    const run = await runCli(['restore', snapshot, '--yes', ...flags()], env());
    expect(run.code, run.stderr).toBe(0);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
    console.log(`[reliability] invalid database, restore ${snapshot} -> exit ${run.code}; rows back byte for byte`);
  }, 60_000);

  it('a dropping rebuild (bootstrap --drop-existing) drops it and makes a new one', async () => {
    await leaveInvalid();
    const run = await runCli(['bootstrap', '--drop-existing', '--yes', ...flags()], env());
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RunReport;
    const drop = report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
    expect(drop?.detail).toMatch(/left invalid/);
    console.log(`[reliability] invalid database, bootstrap --drop-existing -> exit ${run.code}; E2: ${drop?.detail}`);
    const valid = await adminQuery<{ datconnlimit: number }>(pg.settings, 'SELECT datconnlimit FROM pg_database WHERE datname = $1', [DB]);
    expect(valid[0].datconnlimit).toBe(-1);
    // The snapshot taken before is still there to restore from.
    const again = await runCli(['restore', snapshot, '--yes', ...flags()], env());
    expect(again.code).toBe(0);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
  }, 90_000);

  it('fix DATABASE-INVALID puts the newest snapshot back, byte for byte', async () => {
    // As a rebuild leaves it: a safety snapshot of the rows, then a drop interrupted after PostgreSQL marked the database invalid.
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
    const taken = await withClient(freshSessions(pg.settings), { database: 'postgres' }, 'snapshot', (admin) =>
      takeSnapshot(freshSessions(pg.settings), admin, DB, 'app_user'),
    );
    if (!taken.ok || !taken.value.ok) throw new Error('no snapshot');
    const newest = taken.value.value.name;
    await leaveInvalid();
    const run = await runCli(['fix', 'DATABASE-INVALID', '--yes', ...flags()], env());
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RunReport;
    const fix = report.fix as { done?: string } | undefined;
    expect(fix?.done).toContain(`restored the newest snapshot ${newest}`);
    expect(report.findings.map((f) => f.id)).not.toContain('DATABASE-INVALID');
    // Said after the run, in the words the app shows above its findings; only what is still found follows it.
    const lines = run.stderr.trimEnd().split('\n');
    const outcome = lines.findIndex((line) => line.startsWith('\u2713 ') || line.startsWith('\u2717 '));
    expect(lines[outcome]).toBe(
      '\u2713 Fixed \u201cThe database was left invalid by an interrupted drop\u201d: The diagnosis after the fix no longer finds it.',
    );
    expect(lines.slice(outcome + 1).every((line, i) => (i === 0 ? /^Still found after the fix \(\d+\):$/.test(line) : line.startsWith('  ')))).toBe(true);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
    console.log(`[reliability] invalid database, fix DATABASE-INVALID --yes -> exit ${run.code}: ${fix?.done}`);
  }, 120_000);

  it('fix DATABASE-INVALID without a confirmation changes nothing', async () => {
    await leaveInvalid();
    const run = await runCli(['fix', 'DATABASE-INVALID', ...flags()], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs your confirmation');
    const row = await adminQuery<{ datconnlimit: number }>(pg.settings, 'SELECT datconnlimit FROM pg_database WHERE datname = $1', [DB]);
    expect(row[0].datconnlimit).toBe(-2);
  }, 60_000);

  it('with no snapshot left, fix DATABASE-INVALID drops it and creates it empty', async () => {
    const snapshots = await adminQuery<{ datname: string }>(pg.settings, "SELECT datname FROM pg_database WHERE datname LIKE '%\\_\\_snap\\_%'");
    for (const { datname } of snapshots) await adminQuery(pg.settings, [`ALTER DATABASE "${datname}" IS_TEMPLATE false`, `DROP DATABASE "${datname}"`]);
    await leaveInvalid();
    const run = await runCli(['fix', 'DATABASE-INVALID', '--yes', ...flags()], env());
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RunReport;
    const fix = report.fix as { done?: string } | undefined;
    expect(fix?.done).toMatch(/dropped the invalid "skeldir_validation" \(no snapshot of it existed/);
    const row = await adminQuery<{ datconnlimit: number }>(pg.settings, 'SELECT datconnlimit FROM pg_database WHERE datname = $1', [DB]);
    expect(row[0].datconnlimit).toBe(-1);
    expect(report.findings.map((f) => f.id)).not.toContain('DATABASE-INVALID');
    console.log(`[reliability] invalid database, no snapshot, fix DATABASE-INVALID --yes -> exit ${run.code}: ${fix?.done}`);
  }, 120_000);
});
