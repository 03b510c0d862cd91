import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryLockKey } from '../../electron/engine/safety/rebuild-lock';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { runCli } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery, bootstrappedWithRows, rowsFingerprint } from './reliability-helpers';

/**
 * A drop or a restore closes the database (ALLOW_CONNECTIONS false) before its snapshot and
 * opens it again if the database stays. A run killed in between (SIGKILL, a power cut) left
 * it closed: diagnose blamed the credentials ("Could not connect … as postgres"), a rebuild
 * with drop refused ("Could not check whether … holds data"), and no fix opened it. The
 * state is made as such a run leaves it, with the same ALTER DATABASE.
 */
let pg: ThrowawayPostgres;
const DB = SKELDIR_PROFILE.database.name;
let before: Record<string, string>;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  await bootstrappedWithRows(pg.settings, 500);
  before = await rowsFingerprint(pg.settings, DB);
});
afterAll(async () => {
  await pg?.stop();
});

const env = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port), '--json'];
const leaveClosed = () => adminQuery(pg.settings, `ALTER DATABASE ${DB} WITH ALLOW_CONNECTIONS false`);
const isOpen = async () =>
  (await adminQuery<{ datallowconn: boolean }>(pg.settings, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [DB]))[0]?.datallowconn;
const cli = async (args: string[]): Promise<{ code: number | null; report: RunReport }> => {
  const run = await runCli([...args, ...flags()], env());
  return { code: run.code, report: JSON.parse(run.stdout) as RunReport };
};

describe('a database a stopped drop or restore left closed to connections', () => {
  it('diagnose says so, not a login failure; its fix opens it again with every row', async () => {
    await leaveClosed();
    const { report } = await cli(['diagnose']);
    const finding = report.findings.find((f) => f.id === 'DATABASE-CLOSED');
    console.log(`[reliability] database left closed, diagnose -> ${report.findings.map((f) => f.id).join(', ')}: ${finding?.evidence}`);
    expect(finding?.remediation?.action).toBe('reopen-database');
    expect(report.findings.map((f) => f.id)).not.toContain('STEP-FAILED');
    expect(report.findings.map((f) => f.id)).not.toContain('TABLES-MISSING');

    const fixed = await cli(['fix', 'DATABASE-CLOSED', '--yes']);
    expect(fixed.code).toBe(0);
    expect(fixed.report.findings.map((f) => f.id)).not.toContain('DATABASE-CLOSED');
    expect(await isOpen()).toBe(true);
    expect(await rowsFingerprint(pg.settings, DB)).toEqual(before);
  }, 120_000);

  it('while another run holds the database, diagnose names that run instead, and the fix is refused', async () => {
    await leaveClosed();
    const holder = new Client({ ...pg.settings, user: pg.settings.superuser, database: 'postgres', application_name: 'skeldir-rebuild-lock pid 424242' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLockKey(DB)]);
      const { report } = await cli(['diagnose']);
      expect(report.findings.map((f) => f.id)).not.toContain('DATABASE-CLOSED');
      const inside = report.gates[0].steps.find((s) => s.id === 'inside-database');
      expect(inside?.detail).toMatch(/closed to new connections while another run \(pid 424242\) drops or restores it/);
      const refused = await cli(['fix', 'DATABASE-CLOSED', '--yes']);
      expect(refused.code).toBe(1);
      expect(await isOpen()).toBe(false);
    } finally {
      await holder.end();
    }
  }, 120_000);

  it('a rebuild with drop gets in all the same: the rows go to a snapshot, then the database is replaced', async () => {
    await leaveClosed();
    const { code, report } = await cli(['bootstrap', '--drop-existing', '--yes', '--drop-unmarked']);
    const drop = report.gates.find((g) => g.id === 'E2')?.steps.find((s) => s.id === 'drop-database');
    console.log(`[reliability] database left closed, bootstrap --drop-existing -> exit ${code}: ${drop?.detail}`);
    expect(code).toBe(0);
    expect(drop?.detail).toMatch(/safety snapshot \S+ taken first/);
    expect(await isOpen()).toBe(true);
  }, 120_000);
});
