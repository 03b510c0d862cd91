import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../shared/contract/events';
import { suiteEnvironmentsOf } from '../../../../shared/parity/suite-environment';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { runPipeline } from '../../../../electron/engine/pipeline/run-pipeline';
import { applicationDatabaseUrl } from '../../../../electron/engine/gates/migrate/application-url';
import { findPython } from '../../../../electron/engine/python/find-python';
import { runValidation } from '../../../../electron/engine/gates/validation/run-validation';
import { ensureTestPython, REPO_ROOT } from '../../../support/python-env';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../../../support/real-corpus';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * R5 as CI runs it. A fixture whose tests point at a host that never resolves shows the
 * hold-back (no test here opens a connection); the real Skeldir backend, rebuilt on a
 * throwaway server, shows CI's environment turning 6 failures into 14 passes.
 */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'remote-dsn-suite');
const LOCAL_URL = 'postgresql://app_user:l0cal-secret@127.0.0.1:1/skeldir_validation';

describe('a suite whose code points at another server', () => {
  const suites = ['backend/tests/test_remote.py', 'backend/tests/test_local.py'];

  it('is named before R5 runs and held back without --allow-remote-tests; the other suite runs', async () => {
    const found = await findPython({ repoDir: FIXTURE, flag: await ensureTestPython(), env: { ...process.env } });
    if (!found.ok) throw new Error(found.error.message);
    const events: EngineEvent[] = [];
    const result = await runValidation({
      python: found.value,
      repoDir: FIXTURE,
      suites,
      databaseUrl: LOCAL_URL,
      timeoutSeconds: 120,
      emit: (e) => events.push(e),
    });

    expect(result.results.map((r) => [r.suite, r.outcome])).toEqual([
      ['backend/tests/test_remote.py', 'held-back'],
      ['backend/tests/test_local.py', 'passed'],
    ]);
    expect(result.gate.status).toBe('failed');
    expect(result.gate.steps[0]).toMatchObject({ status: 'failed' });
    expect(result.gate.steps[0].detail).toMatch(
      /^held back: its code sets os\.environ\["DATABASE_URL"\] to a server on remote-db\.example\.invalid \(backend\/tests\/test_remote\.py:5\).*allow its tests to reach that server for this run\.$/,
    );
    // Each front names how: the CLI its flag, the app its confirmation in Parity.
    expect(result.gate.steps[0].action).toBe('allow-remote-tests');
    // Named before anything ran: the finding comes before the first step.
    const firstFinding = events.findIndex((e) => e.kind === 'finding' && e.finding.id === 'R5-REMOTE-DATABASE');
    const firstStep = events.findIndex((e) => e.kind === 'step-finished');
    expect(firstFinding).toBeGreaterThanOrEqual(0);
    expect(firstFinding).toBeLessThan(firstStep);
    expect(result.findings.map((f) => f.id)).toEqual(['R5-REMOTE-DATABASE', 'R5-REMOTE-FALLBACK', 'R5-REMOTE-FALLBACK']);
    expect(result.findings[0].evidence).toContain('os.environ["CELERY_BROKER_URL"] = \u2026@remote-db.example.invalid (backend/tests/helpers/dsn.py:4)');

    const allowed = await runValidation({
      python: found.value,
      repoDir: FIXTURE,
      suites,
      databaseUrl: LOCAL_URL,
      timeoutSeconds: 120,
      emit: () => undefined,
      allowRemoteTests: true,
    });
    expect(allowed.results.map((r) => r.outcome)).toEqual(['passed', 'passed']);
    expect(allowed.gate.status).toBe('passed');
    expect(JSON.stringify(allowed.gate)).not.toContain('l0cal-secret');
  });
});

const unavailable = realCorpusUnavailable();
requireRealCorpusInCi();

describe.skipIf(unavailable !== null)('R5 on the real Skeldir backend, with CI\u2019s environment', () => {
  let pg: ThrowawayPostgres;
  beforeAll(async () => {
    pg = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('rebuilds from nothing (E1\u2013R4) and passes all 14 tests, each suite run with ci.yml\u2019s step environment', async () => {
    const report = await runPipeline(
      {
        command: 'rebuild',
        gates: ['E1', 'E2', 'E3', 'R4', 'R5'],
        settings: pg.settings,
        profile: SKELDIR_PROFILE,
        repoDir: REAL_CORPUS_DIR,
        pythonFlag: backendPython(),
        bootstrap: { dropExisting: true, confirmed: true, allowRemote: false },
      },
      () => undefined,
    );
    expect(report.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['E2', 'passed'],
      ['E3', 'passed'],
      ['R4', 'passed'],
      ['R5', 'passed'],
    ]);
    const r5 = report.gates.find((g) => g.id === 'R5');
    const suites = r5?.details?.suites as Array<{ passed: number; failed: number; errors: number }>;
    expect(suites.reduce((n, s) => n + s.passed, 0)).toBe(14);
    expect(suites.reduce((n, s) => n + s.failed + s.errors, 0)).toBe(0);

    const environments = suiteEnvironmentsOf(r5?.details);
    expect(environments.map((e) => [e.suite, e.source, e.workingDirectory])).toEqual(
      SKELDIR_PROFILE.validationSuites.map((suite) => [suite, 'workflow', 'backend']),
    );
    for (const environment of environments) {
      expect(environment.step).toContain('.github/workflows/ci.yml');
      const byName = Object.fromEntries(environment.variables.map((v) => [v.name, v]));
      for (const name of ['DATABASE_URL', 'CELERY_BROKER_URL', 'CELERY_RESULT_BACKEND']) {
        expect(byName[name].source).toMatch(/^ci\.yml, .*\(rewritten to the local database\)$/);
        expect(byName[name].value).toContain(`:***@${pg.settings.host}:${pg.settings.port}/${SKELDIR_PROFILE.database.name}`);
      }
      expect(byName.CELERY_BROKER_URL.value).toMatch(/^sqla\+postgresql:\/\//);
      expect(byName.CELERY_RESULT_BACKEND.value).toMatch(/^db\+postgresql:\/\//);
    }
    // The conftest's hosted-database fallback is named, and R5 overrode it.
    // It sits in the conftest both suites load: one finding naming both.
    const fallbacks = report.findings.filter((f) => f.id === 'R5-REMOTE-FALLBACK');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0].evidence).toMatch(new RegExp(`^${SKELDIR_PROFILE.validationSuites.join(', ')} fall back to .*conftest\\.py:\\d+\\)`));
    expect(report.findings.some((f) => f.id === 'R5-REMOTE-DATABASE' || f.id === 'R5-PASSWORD-MISMATCH')).toBe(false);
    // No URL in the report carries a password: every one reads user:***@.
    expect(JSON.stringify(report)).not.toMatch(/postgres[a-z0-9+]*:\/\/[^:/\s"@]+:(?!\*\*\*@)[^@\s"]+@/);
  });

  it('without CI\u2019s environment (no step names the files), 6 tests lose their login: the finding names what CI sets', async () => {
    // The same workflows, but the step no longer names the guide's files: R5 falls back to the guide's environment.
    const dir = path.join(REAL_CORPUS_DIR, '.github', 'workflows');
    const workflows = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.yml'))
      .map((name) => ({
        path: `.github/workflows/${name}`,
        text: fs.readFileSync(path.join(dir, name), 'utf8').replace(/pytest tests\/\S+\.py( tests\/\S+\.py)*/g, 'pytest'),
      }));
    const found = await findPython({ repoDir: REAL_CORPUS_DIR, flag: backendPython(), env: { ...process.env } });
    if (!found.ok) throw new Error(found.error.message);
    const result = await runValidation({
      python: found.value,
      repoDir: REAL_CORPUS_DIR,
      suites: SKELDIR_PROFILE.validationSuites,
      databaseUrl: applicationDatabaseUrl(pg.settings, SKELDIR_PROFILE),
      timeoutSeconds: 300,
      emit: () => undefined,
      workflows,
      applicationLoginVerified: true,
    });
    expect(result.environments.map((e) => e.source)).toEqual(['guide', 'guide']);
    expect(result.results.reduce((n, r) => n + r.counts.failed + r.counts.errors, 0)).toBe(6);
    const mismatch = result.findings.find((f) => f.id === 'R5-PASSWORD-MISMATCH');
    expect(mismatch?.evidence).toMatch(/^6 tests failed with .password authentication failed for user "app_user". \(28P01\)/);
    expect(mismatch?.evidence).toContain('CELERY_BROKER_URL');
    expect(mismatch?.evidence).toContain('CELERY_RESULT_BACKEND');
  });
});
