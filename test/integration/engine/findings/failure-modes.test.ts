import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openClient } from '../../../../electron/engine/db/connect';
import { scramSha256Verifier } from '../../../../electron/engine/db/scram';
import { runPipeline, type PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { remediationRequest } from '../../../../electron/engine/remediation/remediation-request';
import { quoteSettingName } from '../../../../electron/engine/db/database-level';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { FindingId } from '../../../../shared/findings/catalogue';
import type { RunReport } from '../../../../shared/report/report';
import { ensureTestPython } from '../../../support/python-env';
import { SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * The guide's four failure modes, provoked for real with real Alembic and pytest, each
 * detected with the right id; for FM1–FM3 the remediation makes the next rebuild pass.
 */
let pg: ThrowawayPostgres;
let python: string;
beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
});
afterAll(async () => {
  await pg?.stop();
});

async function admin(sql: string[], database = 'postgres'): Promise<void> {
  const client = await openClient(pg.settings, { database });
  if (!client.ok) throw new Error(client.error.message);
  try {
    for (const statement of sql) await client.value.query(statement);
  } finally {
    await client.value.end();
  }
}

beforeEach(async () => {
  await admin([
    'DROP DATABASE IF EXISTS skeldir_validation WITH (FORCE)',
    'DROP ROLE IF EXISTS app_user',
    'DROP ROLE IF EXISTS app_rw',
    'DROP ROLE IF EXISTS app_ro',
  ]);
});

const base = () => ({ settings: pg.settings, profile: SKELDIR_PROFILE, repoDir: SKELDIR_FOUNDATION, pythonFlag: python });

function run(gates: PipelineRequest['gates'], extra: Partial<PipelineRequest> = {}): Promise<RunReport> {
  return runPipeline({ ...base(), command: 'test', gates, ...extra }, () => undefined);
}

const bootstrapOnly = () => run(['E1', 'E2', 'E3']);

async function remediate(id: FindingId): Promise<RunReport> {
  const request = remediationRequest(id, base());
  if (!request.ok) throw new Error(request.error.message);
  return runPipeline(request.value, () => undefined);
}

async function rebuildPasses(): Promise<void> {
  const report = await run(['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5']);
  expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:passed']);
}

describe('failure modes provoked for real', () => {
  it('FM1: a single-step upgrade from empty fails on tenants; the planned upgrade fixes it', async () => {
    expect((await bootstrapOnly()).gates.every((g) => g.status === 'passed')).toBe(true);
    const failed = await run(['E1', 'R4'], { explicitTargets: ['skeldir_foundation@head'] });
    expect(failed.gates.find((g) => g.id === 'R4')?.status).toBe('failed');
    const fm1 = failed.findings.find((f) => f.id === 'FM1');
    expect(fm1?.evidence).toContain('relation "tenants" does not exist');
    expect(fm1?.evidence).toMatch(/202512151300/);
    expect(fm1?.evidence).toMatch(/run revision 202511131115 on branch \S+ first \(it creates tenants\)/);
    expect(fm1?.remediation?.action).toBe('run-planned-upgrade');
    // The failed upgrade was one transaction: nothing of it is left behind.
    expect(failed.database?.alembicVersion ?? []).toEqual([]);

    const fixed = await remediate('FM1');
    expect(fixed.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'R4:passed', 'VERIFY:passed']);
    await rebuildPasses();
  });

  it('a database whose application role is missing: its login is not tried (PostgreSQL would call it a wrong password), Roles says what is wrong', async () => {
    await admin(['CREATE DATABASE skeldir_validation']);
    const report = await run(['E1']);
    const login = report.gates.find((g) => g.id === 'E1')?.steps.find((step) => step.id === 'login-app_user');
    expect(login).toMatchObject({ status: 'skipped', detail: 'not tried: the role "app_user" does not exist (see Roles; bootstrap creates it)' });
    expect(report.findings.map((f) => f.id)).toContain('ROLES-MISSING');
    expect(report.findings.map((f) => f.id)).not.toContain('STEP-FAILED');
  });

  it('FM2: migrations before bootstrap fail on role "app_rw"; bootstrap fixes it', async () => {
    // The application role and database exist (as after a half-done manual setup) but not app_rw/app_ro.
    await admin([
      `CREATE ROLE app_user LOGIN PASSWORD '${scramSha256Verifier('app_user')}'`,
      'CREATE DATABASE skeldir_validation OWNER app_user',
      `ALTER DATABASE skeldir_validation SET ${quoteSettingName('app.current_tenant_id')} = '00000000-0000-0000-0000-000000000000'`,
    ]);
    const failed = await run(['E1', 'R4']);
    expect(failed.gates.find((g) => g.id === 'R4')?.status).toBe('failed');
    const fm2 = failed.findings.find((f) => f.id === 'FM2');
    expect(fm2?.evidence).toContain('role "app_rw" does not exist');
    expect(fm2?.evidence).toMatch(/202511131121/);
    expect(fm2?.remediation?.action).toBe('run-bootstrap');

    const fixed = await remediate('FM2');
    expect(fixed.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed']);
    expect(fixed.database?.missingRoles).toEqual([]);
    await rebuildPasses();
  });

  it('FM3: without the database-level GUC the RLS migration fails; setting it fixes it', async () => {
    await bootstrapOnly();
    await admin([`ALTER DATABASE skeldir_validation RESET ${quoteSettingName('app.current_tenant_id')}`]);
    const failed = await run(['E1', 'R4']);
    const fm3 = failed.findings.find((f) => f.id === 'FM3');
    expect(fm3?.evidence).toContain('unrecognized configuration parameter "app.current_tenant_id"');
    expect(fm3?.remediation?.action).toBe('set-guc');
    // E1 also saw it before anything ran.
    expect(failed.findings.map((f) => f.id)).toContain('GUC-MISSING');

    const fixed = await remediate('FM3');
    const guc = fixed.gates.find((g) => g.id === 'E3')?.steps.find((s) => s.id === 'set-database-settings');
    expect(guc?.status).toBe('passed');
    expect(
      fixed.gates
        .find((g) => g.id === 'E2')
        ?.steps.slice(1)
        .every((s) => s.status === 'already'),
    ).toBe(true);
    await rebuildPasses();
  });

  it('FM4: the nested event loop in the test helper is recognised, with where the helper lives', async () => {
    process.env.SKELDIR_FIXTURE_NESTED_LOOP = '1';
    try {
      const report = await run(['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5']);
      expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:failed']);
      const fm4 = report.findings.find((f) => f.id === 'FM4');
      expect(fm4?.evidence).toMatch(/asyncio\.run\(\) cannot be called from a running event loop/);
      expect(fm4?.evidence).toMatch(/attribution\.py, line 401/);
      expect(fm4?.remediation).toBeNull();
    } finally {
      delete process.env.SKELDIR_FIXTURE_NESTED_LOOP;
    }
  });
});
