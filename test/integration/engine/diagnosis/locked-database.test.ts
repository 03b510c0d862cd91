import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../../../../electron/engine/db/connect';
import { runPipeline } from '../../../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { RunReport } from '../../../../shared/report/report';
import { withStepFindings } from '../../../../shared/report/step-findings';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * Another client holding a lock inside the database (an alembic upgrade still running in
 * another terminal, a psql session left in a transaction): E1 and bootstrap used to wait on
 * it for ever. They now stop after the lock wait limit, name the sessions with a transaction
 * open, say what to do, and E1 draws no conclusion about what it could not read.
 */
let pg: ThrowawayPostgres;
let holder: Client | null = null;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  const bootstrap = await runPipeline({ command: 'bootstrap', gates: ['E1', 'E2', 'E3'], settings: pg.settings, profile: SKELDIR_PROFILE }, () => undefined);
  expect(bootstrap.gates.map((gate) => gate.status)).toEqual(['passed', 'passed', 'passed']);
  const admin = await openClient(pg.settings, { database: 'skeldir_validation' });
  if (!admin.ok) throw new Error(admin.error.message);
  await admin.value.query('CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY)');
  await admin.value.query("INSERT INTO public.alembic_version VALUES ('202511131121')");
  await admin.value.query('GRANT SELECT ON public.alembic_version TO app_user');
  await admin.value.end();
}, 120_000);

afterAll(async () => {
  await holder?.end().catch(() => undefined);
  await pg?.stop();
});

function diagnose(): Promise<RunReport> {
  return runPipeline({ command: 'diagnose', gates: ['E1'], settings: pg.settings, profile: SKELDIR_PROFILE }, () => undefined);
}

describe('another session holding a lock inside the database', () => {
  it('stops waiting, names the session, says what to do, and calls what it could not read unknown', async () => {
    const opened = await openClient(pg.settings, { database: 'skeldir_validation', applicationName: 'someone else' });
    if (!opened.ok) throw new Error(opened.error.message);
    holder = opened.value;
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE public.alembic_version IN ACCESS EXCLUSIVE MODE');

    const report = await diagnose();
    const e1 = report.gates[0];
    const step = (id: string) => e1.steps.find((s) => s.id === id);
    expect(e1.status).toBe('passed');
    expect(step('inside-database')).toMatchObject({ status: 'failed' });
    expect(step('inside-database')?.detail).toContain(
      'Another session held a lock needed for reading inside skeldir_validation and did not release it within 10 s',
    );
    expect(step('inside-database')?.detail).toContain(
      `Sessions with a transaction open on skeldir_validation: pid ${holderPid} ("someone else", idle in transaction since `,
    );
    // Unknown, not missing: no verdict, and no finding built on a guess.
    expect(step('tables')).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^unknown: skeldir_validation could not be read/) });
    expect(step('alembic-version')).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^unknown: /) });
    expect(report.findings.map((finding) => finding.id)).not.toContain('TABLES-MISSING');
    const generic = withStepFindings(report.gates, report.findings).find((finding) => finding.source?.step === 'inside-database');
    expect(generic?.explanation).toMatch(/^What to do: Finish or close the other session on this database/);

    await holder.query('ROLLBACK');
    const after = await diagnose();
    const versionStep = after.gates[0].steps.find((s) => s.id === 'alembic-version');
    expect(versionStep).toMatchObject({ status: 'passed', detail: '202511131121' });
    expect(after.gates[0].steps.some((s) => s.id === 'inside-database')).toBe(false);
  }, 120_000);

  it('bootstrap whose grant waits on another session\u2019s transaction stops after the limit, names the session and says what to do', async () => {
    const admin = await openClient(pg.settings, { database: 'skeldir_validation' });
    if (!admin.ok) throw new Error(admin.error.message);
    await admin.value.query('REVOKE USAGE ON SCHEMA public FROM app_ro');
    await admin.value.end();
    const opened = await openClient(pg.settings, { database: 'skeldir_validation', applicationName: 'a migration in another terminal' });
    if (!opened.ok) throw new Error(opened.error.message);
    const other = opened.value;
    try {
      const otherPid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      // Its GRANT locks the schema's catalog row until it commits: ours has to wait for it.
      await other.query('BEGIN');
      await other.query('GRANT USAGE ON SCHEMA public TO app_rw');
      const report = await runPipeline({ command: 'bootstrap', gates: ['E1', 'E2', 'E3'], settings: pg.settings, profile: SKELDIR_PROFILE }, () => undefined);
      const step = report.gates.find((gate) => gate.id === 'E3')?.steps.find((s) => s.id === 'grant-schema-privileges');
      expect(step?.status).toBe('failed');
      expect(step?.detail).toContain('Another session held a lock needed for granting schema privileges and did not release it within 10 s');
      expect(step?.detail).toContain(`Sessions with a transaction open: pid ${otherPid} ("a migration in another terminal", idle in transaction since `);
      expect(step?.detail).toContain('\u2192 fix: Finish or close the other session on this database');
      const generic = withStepFindings(report.gates, report.findings).find((finding) => finding.source?.step === 'grant-schema-privileges');
      expect(generic?.explanation).toMatch(/^What to do: Finish or close the other session on this database/);
      expect(generic?.evidence).not.toContain('\u2192 fix:');
      await other.query('ROLLBACK');
      const again = await runPipeline({ command: 'bootstrap', gates: ['E1', 'E2', 'E3'], settings: pg.settings, profile: SKELDIR_PROFILE }, () => undefined);
      expect(again.gates.map((gate) => gate.status)).toEqual(['passed', 'passed', 'passed']);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end().catch(() => undefined);
    }
  }, 120_000);
});
