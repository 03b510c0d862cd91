import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../../../../electron/engine/db/connect';
import { runPipeline, type PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { remediationRequest } from '../../../../electron/engine/remediation/remediation-request';
import type { PrivilegeMismatch } from '../../../../electron/engine/gates/verify/check-migration-privileges';
import type { RowSecurityMismatch } from '../../../../electron/engine/gates/verify/row-security-check';
import { profileSchema } from '../../../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { RunReport, StepReport } from '../../../../shared/report/report';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../../../support/real-corpus';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * VERIFY on the real Skeldir backend: its expectations come from what the planned
 * revisions do (Alembic's offline SQL), each citing its file; a privilege revoked by hand
 * or row-level security switched off is named with its file, becomes a finding, and the
 * finding's fix re-applies exactly that.
 */
requireRealCorpusInCi();
const unavailable = realCorpusUnavailable();

let pg: ThrowawayPostgres;
let offlineDir: string;
const previousDir = process.env.SKELDIR_OFFLINE_SQL_DIR;
beforeAll(async () => {
  if (unavailable) return;
  offlineDir = makeTempDir('skeldir-offline-sql-');
  process.env.SKELDIR_OFFLINE_SQL_DIR = offlineDir;
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
  if (previousDir === undefined) delete process.env.SKELDIR_OFFLINE_SQL_DIR;
  else process.env.SKELDIR_OFFLINE_SQL_DIR = previousDir;
  if (offlineDir) fs.rmSync(offlineDir, { recursive: true, force: true });
});

function base(): Pick<PipelineRequest, 'settings' | 'profile' | 'repoDir' | 'pythonFlag'> {
  return { settings: pg.settings, profile: SKELDIR_PROFILE, repoDir: REAL_CORPUS_DIR, pythonFlag: backendPython() };
}

function step(report: RunReport, id: string): StepReport {
  const found = report.gates.find((g) => g.id === 'VERIFY')?.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no VERIFY step ${id}: ${JSON.stringify(report.gates.map((g) => [g.id, g.status]))}`);
  return found;
}

/** Runs SQL in the database as the superuser, as a developer at a psql prompt would; returns its rows. */
async function superuserSql(sql: string): Promise<Record<string, unknown>[]> {
  const admin = await openClient(pg.settings, { database: SKELDIR_PROFILE.database.name });
  if (!admin.ok) throw new Error(admin.error.message);
  try {
    return (await admin.value.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await admin.value.end();
  }
}

interface GrantEvidence {
  expected: { role: string; relation: string; privilege: string; held: boolean; source: string }[];
  mismatches: PrivilegeMismatch[];
  reapplied?: string[];
  offlineSqlFromDisk?: boolean;
}

describe.skipIf(unavailable !== null)('VERIFY on the real Skeldir corpus', () => {
  it('passes after E1→E3→R4, with sources: app_rw on attribution_events cites 202511131121_add_grants.py; RLS follows the rename', async () => {
    const report = await runPipeline(
      { ...base(), command: 'rebuild', gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'], bootstrap: { dropExisting: true, confirmed: true, allowRemote: false } },
      () => undefined,
    );
    expect(report.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['E2', 'passed'],
      ['E3', 'passed'],
      ['R4', 'passed'],
      ['VERIFY', 'passed'],
    ]);
    const grants = step(report, 'table-grants');
    expect(grants.source).toBe('revisions');
    const evidence = grants.evidence as GrantEvidence;
    expect(evidence.offlineSqlFromDisk).toBe(false);
    const appRw = evidence.expected.filter((e) => e.role === 'app_rw' && e.relation === 'attribution_events' && e.held);
    expect(appRw.map((e) => e.privilege).sort()).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    for (const e of appRw) expect(e.source).toMatch(/(^|\/)202511131121_add_grants\.py$/);
    // The Celery tables are app_user's (granted inside DO $$ … IF EXISTS (… pg_roles …) $$ blocks), not app_rw's.
    expect(evidence.expected.some((e) => e.role === 'app_user' && e.relation === 'kombu_queue' && e.privilege === 'SELECT' && e.held)).toBe(true);
    expect(evidence.expected.some((e) => e.role === 'app_rw' && e.relation === 'kombu_queue')).toBe(false);
    // REVOKE from the owner takes effect.
    expect(evidence.expected).toContainEqual(
      expect.objectContaining({ role: 'app_user', relation: 'attribution_recompute_jobs', privilege: 'DELETE', held: false }),
    );
    const rls = step(report, 'row-level-security');
    expect(rls.status).toBe('passed');
    expect(rls.detail).toContain('worker_failed_jobs');
    expect(rls.detail).not.toContain('celery_task_failures');
    expect(rls.detail).not.toContain('channel_assignment_corrections');
    // Policies follow their table's rename too: the DLQ's was created on celery_task_failures.
    expect(rls.detail).toMatch(/; \d+ policies in place$/);
    expect((rls.evidence as { policies: { relation: string; policy: string }[] }).policies).toContainEqual(
      expect.objectContaining({ relation: 'worker_failed_jobs', policy: 'tenant_isolation_policy' }),
    );
    for (const id of ['tables', 'foreign-keys', 'roles', 'settings', 'alembic-version']) expect(step(report, id).source).toBe('profile');
  }, 180_000);

  it('names a revoked grant (privilege, role, revision file); the finding\u2019s fix re-applies exactly it; VERIFY passes again', async () => {
    const admin = await openClient(pg.settings, { database: SKELDIR_PROFILE.database.name });
    if (!admin.ok) throw new Error(admin.error.message);
    try {
      await admin.value.query('REVOKE SELECT ON attribution_events FROM app_rw');
    } finally {
      await admin.value.end();
    }

    const failed = await runPipeline({ ...base(), command: 'verify', gates: ['E1', 'VERIFY'] }, () => undefined);
    expect(failed.gates.find((g) => g.id === 'VERIFY')?.status).toBe('failed');
    const grants = step(failed, 'table-grants');
    expect(grants.status).toBe('failed');
    expect(grants.detail).toMatch(/app_rw lacks SELECT on attribution_events \(granted by \S*202511131121_add_grants\.py\)/);
    const evidence = grants.evidence as GrantEvidence;
    // The offline SQL of the first run was kept: no second second of Python.
    expect(evidence.offlineSqlFromDisk).toBe(true);
    expect(evidence.mismatches).toEqual([expect.objectContaining({ role: 'app_rw', relation: 'attribution_events', privilege: 'SELECT', expectedHeld: true })]);
    const finding = failed.findings.find((f) => f.id === 'MIGRATION-GRANTS-MISSING');
    expect(finding?.evidence).toMatch(/^app_rw: SELECT missing on attribution_events \(\S*202511131121_add_grants\.py\)$/);
    expect(finding?.remediation?.action).toBe('reapply-migration-grants');

    const fix = remediationRequest('MIGRATION-GRANTS-MISSING', base());
    if (!fix.ok) throw new Error(fix.error.message);
    const fixed = await runPipeline(fix.value, () => undefined);
    expect(fixed.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['VERIFY', 'passed'],
    ]);
    expect((step(fixed, 'table-grants').evidence as GrantEvidence).reapplied).toEqual(['GRANT SELECT ON TABLE public.attribution_events TO app_rw']);
    expect(fixed.findings.map((f) => f.id)).not.toContain('MIGRATION-GRANTS-MISSING');

    const again = await runPipeline({ ...base(), command: 'verify', gates: ['E1', 'VERIFY'] }, () => undefined);
    expect(again.gates.find((g) => g.id === 'VERIFY')?.status).toBe('passed');
    expect((step(again, 'table-grants').evidence as GrantEvidence).reapplied).toBeUndefined();
  }, 120_000);

  it('row-level security switched off and a policy dropped by hand: Diagnose names table and file; the grants fix leaves them; their own fix sets exactly them back', async () => {
    // What a developer does to look at every tenant's rows while debugging.
    await superuserSql(
      'ALTER TABLE revenue_ledger DISABLE ROW LEVEL SECURITY; ALTER TABLE revenue_ledger NO FORCE ROW LEVEL SECURITY; ' +
        // Created on celery_task_failures, which a later revision renames.
        'DROP POLICY tenant_isolation_policy ON worker_failed_jobs',
    );

    // E1 alone, read-only, already says so.
    const diagnosed = await runPipeline({ ...base(), command: 'diagnose', gates: ['E1'] }, () => undefined);
    const fromE1 = diagnosed.findings.find((f) => f.id === 'MIGRATION-ROW-SECURITY-CHANGED');
    expect(fromE1?.source).toEqual({ gate: 'E1', step: 'row-level-security' });
    expect(fromE1?.evidence.split('\n')).toEqual([
      expect.stringMatching(/^revenue_ledger: not enabled \(enabled by \S*_add_rls_policies\.py\)$/),
      expect.stringMatching(/^revenue_ledger: not forced \(FORCE by \S*_add_rls_policies\.py\)$/),
      expect.stringMatching(/^worker_failed_jobs: policy tenant_isolation_policy missing \(created by \S*202512131200_worker_dlq\.py\)$/),
    ]);
    expect(fromE1?.remediation?.action).toBe('reapply-migration-row-security');

    // The grants' fix changes only grants: row-level security stays off, and VERIFY still says so.
    const grantsFix = remediationRequest('MIGRATION-GRANTS-MISSING', base());
    if (!grantsFix.ok) throw new Error(grantsFix.error.message);
    const afterGrantsFix = await runPipeline(grantsFix.value, () => undefined);
    expect(step(afterGrantsFix, 'row-level-security').status).toBe('failed');
    expect((step(afterGrantsFix, 'row-level-security').evidence as { mismatches: RowSecurityMismatch[] }).mismatches).toEqual([
      expect.objectContaining({ relation: 'revenue_ledger', setting: 'enabled', expected: true }),
      expect.objectContaining({ relation: 'revenue_ledger', setting: 'forced', expected: true }),
      expect.objectContaining({ relation: 'worker_failed_jobs', setting: 'policy', policy: 'tenant_isolation_policy' }),
    ]);

    const fix = remediationRequest('MIGRATION-ROW-SECURITY-CHANGED', base());
    if (!fix.ok) throw new Error(fix.error.message);
    const fixed = await runPipeline(fix.value, () => undefined);
    expect(fixed.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['VERIFY', 'passed'],
    ]);
    expect((step(fixed, 'row-level-security').evidence as { reapplied?: string[] }).reapplied).toEqual([
      'ALTER TABLE public.revenue_ledger ENABLE ROW LEVEL SECURITY',
      'ALTER TABLE public.revenue_ledger FORCE ROW LEVEL SECURITY',
      expect.stringMatching(/^CREATE POLICY tenant_isolation_policy ON public\.worker_failed_jobs FOR ALL\s+TO app_user\s+USING \(/),
    ]);
    expect(fixed.findings.map((f) => f.id)).not.toContain('MIGRATION-ROW-SECURITY-CHANGED');
    expect(await superuserSql("SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'revenue_ledger'")).toEqual([
      { relname: 'revenue_ledger', relrowsecurity: true, relforcerowsecurity: true },
    ]);
    expect(await superuserSql("SELECT policyname AS relname FROM pg_policies WHERE tablename = 'worker_failed_jobs'")).toEqual([
      { relname: 'tenant_isolation_policy' },
    ]);
  }, 180_000);

  it('a fix behind another session\u2019s lock stops after the limit, names that session and what to do; the other check keeps its result', async () => {
    const holder = await openClient(pg.settings, { database: SKELDIR_PROFILE.database.name, applicationName: 'psql left open' });
    if (!holder.ok) throw new Error(holder.error.message);
    try {
      await holder.value.query('ALTER TABLE revenue_ledger DISABLE ROW LEVEL SECURITY');
      // A transaction left open after reading the table: its lock blocks ALTER TABLE.
      await holder.value.query('BEGIN; SELECT count(*) FROM revenue_ledger');
      const fix = remediationRequest('MIGRATION-ROW-SECURITY-CHANGED', base());
      if (!fix.ok) throw new Error(fix.error.message);
      const blocked = await runPipeline(fix.value, () => undefined);
      const rls = step(blocked, 'row-level-security');
      expect(rls.status).toBe('failed');
      expect(rls.detail).toMatch(
        /^Another session held a lock needed for re-applying ALTER TABLE public\.revenue_ledger ENABLE ROW LEVEL SECURITY and did not release it within 10 s, so the tool stopped waiting\. Sessions with a transaction open on skeldir_validation: pid \d+ \("psql left open", idle in transaction since .*\)\. What still differs: revenue_ledger: not enabled .* \u2192 fix: Finish or close the other session/,
      );
      expect(step(blocked, 'table-grants').status).toBe('passed');
      // Not fixed, so still found, with its button.
      expect(blocked.findings.find((f) => f.id === 'MIGRATION-ROW-SECURITY-CHANGED')?.remediation?.action).toBe('reapply-migration-row-security');
    } finally {
      await holder.value.query('ROLLBACK').catch(() => undefined);
      await holder.value.end();
    }
    const fix = remediationRequest('MIGRATION-ROW-SECURITY-CHANGED', base());
    if (!fix.ok) throw new Error(fix.error.message);
    const fixed = await runPipeline(fix.value, () => undefined);
    expect(step(fixed, 'row-level-security').status).toBe('passed');
  }, 120_000);

  it('a foreign key re-created with another ON DELETE, then dropped over an orphan row: Diagnose names it; its fix replaces it, stops at the orphan naming it, and keeps every row', async () => {
    const constraints = () =>
      superuserSql("SELECT conname, confdeltype FROM pg_constraint WHERE conrelid = 'attribution_recompute_jobs'::regclass AND contype = 'f' ORDER BY conname");
    const fix = () => {
      const request = remediationRequest('FOREIGN-KEY-CHANGED', base());
      if (!request.ok) throw new Error(request.error.message);
      return runPipeline(request.value, () => undefined);
    };
    await superuserSql(
      'ALTER TABLE attribution_recompute_jobs DROP CONSTRAINT attribution_recompute_jobs_tenant_id_fkey; ' +
        'ALTER TABLE attribution_recompute_jobs ADD CONSTRAINT jobs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT',
    );
    const diagnosed = await runPipeline({ ...base(), command: 'diagnose', gates: ['E1'] }, () => undefined);
    const finding = diagnosed.findings.find((f) => f.id === 'FOREIGN-KEY-CHANGED');
    expect(finding?.source).toEqual({ gate: 'E1', step: 'foreign-keys' });
    expect(finding?.evidence).toBe(
      'attribution_recompute_jobs.tenant_id \u2192 tenants.id ON DELETE CASCADE: the constraint jobs_tenant has ON DELETE RESTRICT',
    );
    expect(finding?.remediation?.action).toBe('recreate-foreign-keys');

    const replaced = await fix();
    expect(replaced.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['VERIFY', 'passed'],
    ]);
    expect((step(replaced, 'foreign-keys').evidence as { reapplied?: string[] }).reapplied).toEqual([
      'ALTER TABLE public.attribution_recompute_jobs DROP CONSTRAINT jobs_tenant, ADD CONSTRAINT attribution_recompute_jobs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE',
    ]);
    expect(replaced.findings.map((f) => f.id)).not.toContain('FOREIGN-KEY-CHANGED');
    expect(await constraints()).toEqual([{ conname: 'attribution_recompute_jobs_tenant_id_fkey', confdeltype: 'c' }]);

    // Without the constraint, a job outlives its tenant: the fix cannot make it over that row, and says which.
    const orphan = '11111111-1111-1111-1111-111111111111';
    await superuserSql(
      'ALTER TABLE attribution_recompute_jobs DROP CONSTRAINT attribution_recompute_jobs_tenant_id_fkey; ' +
        `INSERT INTO attribution_recompute_jobs (tenant_id, window_start, window_end) VALUES ('${orphan}', now() - interval '1 hour', now())`,
    );
    const stopped = await fix();
    const foreignKeys = step(stopped, 'foreign-keys');
    expect(foreignKeys.status).toBe('failed');
    expect(foreignKeys.detail).toBe(
      `Rows of attribution_recompute_jobs reference tenants rows that are gone, so the foreign key cannot be made over them (Key (tenant_id)=(${orphan}) is not present in table "tenants"). ` +
        'What still differs: attribution_recompute_jobs.tenant_id \u2192 tenants.id ON DELETE CASCADE: no such foreign key ' +
        '\u2192 fix: Delete those rows of attribution_recompute_jobs, or put back the tenants rows they reference, then run the fix again; or rebuild the database.',
    );
    expect(stopped.findings.find((f) => f.id === 'FOREIGN-KEY-CHANGED')?.remediation?.action).toBe('recreate-foreign-keys');
    expect(await superuserSql(`SELECT count(*)::int AS n FROM attribution_recompute_jobs WHERE tenant_id = '${orphan}'`)).toEqual([{ n: 1 }]);

    await superuserSql(`DELETE FROM attribution_recompute_jobs WHERE tenant_id = '${orphan}'`);
    expect(step(await fix(), 'foreign-keys').status).toBe('passed');
    expect(await constraints()).toEqual([{ conname: 'attribution_recompute_jobs_tenant_id_fkey', confdeltype: 'c' }]);
  }, 180_000);

  it('a profile may still declare grants of its own: checked with the source "profile", and no migration finding', async () => {
    const profile = profileSchema.parse({ ...SKELDIR_PROFILE, tableGrants: [{ role: 'app_ro', privileges: ['INSERT'], tables: ['tenants'] }] });
    const report = await runPipeline({ ...base(), profile, command: 'verify', gates: ['E1', 'VERIFY'] }, () => undefined);
    const grants = step(report, 'table-grants');
    expect(grants.status).toBe('failed');
    expect(grants.detail).toBe('app_ro lacks INSERT on tenants (expected by the profile)');
    expect(report.findings.map((f) => f.id)).not.toContain('MIGRATION-GRANTS-MISSING');
  }, 120_000);
});
