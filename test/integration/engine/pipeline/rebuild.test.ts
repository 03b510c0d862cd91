import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineRequest } from '../../../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { EngineEvent } from '../../../../shared/contract/events';
import { ensureTestPython } from '../../../support/python-env';
import { SKELDIR_FOUNDATION } from '../../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';
import { makeTempDir } from '../../../support/temp-dir';

const execFileAsync = promisify(execFile);
let pg: ThrowawayPostgres;
let python: string;
beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
});
afterAll(async () => {
  await pg?.stop();
});

function request(overrides: Partial<PipelineRequest> = {}): PipelineRequest {
  return {
    command: 'rebuild',
    gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'],
    settings: pg.settings,
    profile: SKELDIR_PROFILE,
    repoDir: SKELDIR_FOUNDATION,
    pythonFlag: python,
    bootstrap: { dropExisting: true, confirmed: true, allowRemote: false },
    ...overrides,
  };
}

describe('rebuild on the sample project, from nothing', () => {
  it('passes every gate; R4 runs the 12 revisions in the planned order; VERIFY lists the 6 tables and the FK', async () => {
    const events: EngineEvent[] = [];
    const report = await runPipeline(request(), (e) => events.push(e));
    expect(report.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['E2', 'passed'],
      ['E3', 'passed'],
      ['R4', 'passed'],
      ['VERIFY', 'passed'],
      ['R5', 'passed'],
    ]);
    const r4 = report.gates.find((g) => g.id === 'R4');
    const ran = (r4?.details?.ran as { to: string }[]).map((r) => r.to);
    expect(ran).toEqual([
      'baseline',
      '202511131115',
      '202511131119',
      '202511131120',
      '202511131121',
      '202512120900',
      '202512131200',
      '202512131530',
      '202512131600',
      '202512151200',
      '202512151300',
      '202512151400',
    ]);
    expect(r4?.steps.map((s) => s.title)).toEqual(['alembic upgrade 202511131121', 'alembic upgrade skeldir_foundation@head']);
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.map((e) => (e.kind === 'progress' ? `${e.current}/${e.total}` : ''))).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}/12`));
    expect(progress[11]).toMatchObject({ label: '202512151400 \u2014 Merge skeldir_foundation' });

    const verify = report.gates.find((g) => g.id === 'VERIFY');
    expect(verify?.steps.find((s) => s.id === 'tables')?.detail).toBe(
      '6 rows: attribution_allocations, attribution_events, attribution_recompute_jobs, kombu_queue, tenants, worker_failed_jobs',
    );
    expect(verify?.steps.find((s) => s.id === 'foreign-keys')?.detail).toBe(
      '"attribution_recompute_jobs_tenant_id_fkey" FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE',
    );
    expect(verify?.steps.find((s) => s.id === 'alembic-version')?.detail).toBe('at 202512151400');
    const r5 = report.gates.find((g) => g.id === 'R5');
    expect(r5?.steps.map((s) => s.detail)).toEqual([
      expect.stringMatching(/^4 passed, 0 failed, 0 errors, 0 skipped/),
      expect.stringMatching(/^4 passed, 0 failed/),
    ]);
    expect(report.findings).toEqual([]);
    expect(report.database?.alembicVersion).toEqual(['202512151400']);
  });

  it('a second rebuild without drop is idempotent: bootstrap says already, R4 has nothing to run', async () => {
    const report = await runPipeline(
      request({ bootstrap: { dropExisting: false, confirmed: false, allowRemote: false }, skipValidation: true }),
      () => undefined,
    );
    expect(report.gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'skipped']);
    expect(report.gates.find((g) => g.id === 'R4')?.steps[0]).toMatchObject({ status: 'already', detail: 'already at the target: nothing to run' });
  });

  it('without a repository, R4 fails with the instruction to choose one (no front\u2019s words, the action typed) and later gates are blocked', async () => {
    const report = await runPipeline(
      request({ repoDir: undefined, bootstrap: { dropExisting: false, confirmed: false, allowRemote: false } }),
      () => undefined,
    );
    const r4 = report.gates.find((g) => g.id === 'R4');
    expect(r4?.status).toBe('failed');
    expect(r4?.steps[0].detail).toBe('No backend repository is set: choose the folder that holds alembic.ini.');
    expect(r4?.steps[0].action).toBe('choose-repository');
    expect(report.gates.filter((g) => g.status === 'blocked').map((g) => g.id)).toEqual(['VERIFY', 'R5']);
  });

  it('a rebuild that drops the database but cannot migrate (no repository) drops nothing: E2 and E3 do not start, nor anything after them', async () => {
    const before = await runPipeline(request({ command: 'diagnose', gates: ['E1'] }), () => undefined);
    expect(before.database?.exists).toBe(true);
    const tablesBefore = before.database?.tables;
    const report = await runPipeline(
      request({ repoDir: '/no/such/skeldir-checkout', bootstrap: { dropExisting: true, confirmed: true, confirmedUnmarked: true, allowRemote: false } }),
      () => undefined,
    );
    for (const gate of ['E2', 'E3']) {
      const blocked = report.gates.find((g) => g.id === gate);
      expect(blocked?.status).toBe('blocked');
      expect(blocked?.steps[0].detail).toMatch(
        /^nothing dropped: R4 could not run afterwards \(The repository folder \/no\/such\/skeldir-checkout does not exist\./,
      );
    }
    // The rebuild asked for did not happen: nothing runs on the database it was to replace.
    for (const gate of ['R4', 'VERIFY', 'R5']) {
      const blocked = report.gates.find((g) => g.id === gate);
      expect(blocked?.status).toBe('blocked');
      expect(blocked?.steps[0].detail).toMatch(/^nothing dropped: R4 could not run afterwards/);
    }
    // What to do is said once, by E1's check of the repository.
    const repoStep = report.gates.find((g) => g.id === 'E1')?.steps.find((step) => step.title === 'Backend repository');
    expect(repoStep).toMatchObject({ status: 'failed', action: 'choose-repository' });
    // As its own finding, not a Python prerequisite nor a generic failed step.
    expect(report.findings.map((f) => f.id)).not.toContain('STEP-FAILED');
    expect(report.findings.map((f) => f.evidence).join('\n')).not.toContain('reads DATABASE_URL');
    expect(report.findings.find((f) => f.id === 'REPOSITORY-UNUSABLE')).toMatchObject({
      action: 'choose-repository',
      evidence: expect.stringMatching(/^The repository folder \/no\/such\/skeldir-checkout does not exist\./),
    });
    expect(report.database?.exists).toBe(true);
    expect(report.database?.tables).toEqual(tablesBefore);
  });

  it('nor with a Python that cannot run Alembic (E1 said so): nothing dropped, the failed checks and their fix said; a cached template needs no Alembic and goes ahead', async () => {
    // An interpreter without Alembic, SQLAlchemy or psycopg2: a bare virtualenv (the project's alembic/ folder is not the library).
    const bare = path.join(makeTempDir('skeldir-bare-venv-'), 'venv');
    await execFileAsync(python, ['-m', 'venv', '--without-pip', bare]);
    const barePython = path.join(bare, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
    const drop = { dropExisting: true, confirmed: true, confirmedUnmarked: true, allowRemote: false };
    const before = await runPipeline(request({ command: 'diagnose', gates: ['E1'] }), () => undefined);
    expect(before.database?.tables.length).toBeGreaterThan(0);

    const refused = await runPipeline(request({ pythonFlag: barePython, bootstrap: drop, skipValidation: true }), () => undefined);
    for (const gate of ['E2', 'E3']) {
      const blocked = refused.gates.find((g) => g.id === gate);
      expect(blocked?.status).toBe('blocked');
      expect(blocked?.steps[0].detail).toBe(
        'nothing dropped: R4 could not run afterwards (Python cannot run Alembic; E1\u2019s checks say why and what to do)',
      );
    }
    expect(refused.gates.filter((g) => g.status === 'blocked').map((g) => g.id)).toEqual(['E2', 'E3', 'R4', 'VERIFY', 'R5']);
    // The failed checks and their fix are said once, by E1 and its finding.
    const prerequisites = refused.findings.find((finding) => finding.id === 'PYTHON-PREREQUISITES-MISSING');
    expect(String(prerequisites?.evidence)).toMatch(/alembic importable: alembic is not installed for [\s\S]+ \u2192 .+ -m pip install/);
    const missing = await runPipeline(request({ pythonFlag: path.join(bare, 'no such python'), bootstrap: drop, skipValidation: true }), () => undefined);
    expect(missing.gates.find((g) => g.id === 'E2')?.status).toBe('blocked');
    // An interpreter that does not start: E1's check asks to choose another, so each front says how.
    expect(missing.gates.find((g) => g.id === 'E1')?.steps.find((step) => step.id === 'prerequisite-python')).toMatchObject({
      status: 'failed',
      action: 'choose-python',
    });
    expect(refused.database?.tables).toEqual(before.database?.tables);
    expect(refused.database?.alembicVersion).toEqual(['202512151400']);

    // A cold rebuild keeps a template; with it, the same interpreter is enough (R4 restores, R5 is not asked for).
    const stored = await runPipeline(request({ bootstrap: drop, skipValidation: true, cache: { enabled: true } }), () => undefined);
    expect(stored.cache).toMatchObject({ status: 'stored' });
    const warm = await runPipeline(request({ pythonFlag: barePython, bootstrap: drop, skipValidation: true, cache: { enabled: true } }), () => undefined);
    expect(warm.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['E2', 'passed'],
      ['E3', 'passed'],
      ['R4', 'passed'],
      ['VERIFY', 'passed'],
      ['R5', 'skipped'],
    ]);
    expect(warm.gates.find((g) => g.id === 'R4')?.steps[0].detail).toMatch(/^restored from template skeldir_validation__tpl_/);
    fs.rmSync(path.dirname(bare), { recursive: true, force: true });
  });
});
