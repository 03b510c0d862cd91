import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../shared/report/report';
import { ensureTestPython } from '../../support/python-env';
import { runCli } from '../../support/run-cli';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../../support/real-corpus';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres';

/**
 * The product's acceptance on the real Skeldir backend, as a user runs it: the CLI against
 * a local server that has nothing of Skeldir yet, the backend's own interpreter, --json.
 * The first rebuild is cold and must end with every gate passed and the guide's 14 tests
 * passing; the second must come from the template that the first one kept, with no safety
 * snapshot (the rows in the database are the ones R5 itself wrote).
 */
requireRealCorpusInCi();

const GATES = ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'];

interface SuiteDetails {
  suite: string;
  outcome: string;
  passed: number;
  failed: number;
  errors: number;
}

describe.skipIf(realCorpusUnavailable() !== null)('rebuild the real Skeldir backend through the CLI', () => {
  let pg: ThrowawayPostgres;
  let cold: RunReport;
  let coldStderr = '';
  let coldCode: number | null = null;

  const rebuild = async (): Promise<{ code: number | null; report: RunReport; stderr: string }> => {
    const run = await runCli(
      [
        'rebuild',
        '--host',
        '127.0.0.1',
        '--port',
        String(pg.settings.port),
        '--superuser',
        pg.settings.superuser,
        '--repo',
        REAL_CORPUS_DIR,
        '--python',
        backendPython() as string,
        '--drop-existing',
        '--yes',
        '--json',
      ],
      { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password },
      300_000,
    );
    let report: RunReport;
    try {
      report = JSON.parse(run.stdout) as RunReport;
    } catch {
      throw new Error(`rebuild printed no JSON report (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
    }
    return { code: run.code, report, stderr: run.stderr };
  };

  const describeGates = (report: RunReport): string =>
    report.gates
      .map(
        (gate) =>
          `${gate.id}:${gate.status}${
            gate.status === 'passed'
              ? ''
              : ` \u2014 ${gate.steps
                  .filter((s) => s.status === 'failed')
                  .map((s) => `${s.title}: ${s.detail ?? ''}`)
                  .join(' | ')
                  .slice(0, 600)}`
          }`,
      )
      .join('\n');

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    const run = await rebuild();
    cold = run.report;
    coldStderr = run.stderr;
    coldCode = run.code;
  }, 360_000);

  afterAll(async () => {
    await pg?.stop();
  });

  it('from nothing: every gate passes and the exit code is 0', () => {
    expect(
      cold.gates.map((gate) => `${gate.id}:${gate.status}`),
      describeGates(cold),
    ).toEqual(GATES.map((id) => `${id}:passed`));
    expect(coldCode).toBe(0);
    expect(coldStderr).not.toContain(pg.settings.password);
  });

  it('R4 ran the guide\u2019s two steps: 13 revisions', () => {
    const r4 = cold.gates.find((gate) => gate.id === 'R4');
    expect(r4?.status).toBe('passed');
    const ran = (r4?.details?.ran as Array<{ to: string }> | undefined) ?? [];
    expect(ran).toHaveLength(13);
  });

  it('the verified cold rebuild was kept as a template', () => {
    expect(cold.cache, describeGates(cold)).toMatchObject({ status: 'stored' });
  });

  it('R5 runs the guide\u2019s two suites: 14 passed, 0 failed, 0 errors', () => {
    const r5 = cold.gates.find((gate) => gate.id === 'R5');
    const suites = (r5?.details?.suites as SuiteDetails[] | undefined) ?? [];
    const totals = suites.reduce(
      (sum, suite) => ({ passed: sum.passed + suite.passed, failed: sum.failed + suite.failed, errors: sum.errors + suite.errors }),
      { passed: 0, failed: 0, errors: 0 },
    );
    expect(totals, describeGates(cold)).toEqual({ passed: 14, failed: 0, errors: 0 });
    expect(suites.map((suite) => suite.outcome)).toEqual(['passed', 'passed']);
  });

  it('validate with an interpreter that lacks what the suites import: R5 does not start, and says what to install', async () => {
    // The fixture's interpreter: SQLAlchemy 2.1 with psycopg2 only, no celery.
    const fixturePython = await ensureTestPython();
    const run = await runCli(
      [
        'validate',
        '--host',
        '127.0.0.1',
        '--port',
        String(pg.settings.port),
        '--superuser',
        pg.settings.superuser,
        '--repo',
        REAL_CORPUS_DIR,
        '--python',
        fixturePython,
        '--json',
      ],
      { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password },
      120_000,
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as RunReport;
    const r5 = report.gates.find((gate) => gate.id === 'R5');
    expect(r5?.status).toBe('failed');
    expect(r5?.steps.map((step) => step.id)).toEqual(['interpreter']);
    expect(r5?.steps[0].detail).toMatch(/suites cannot run with this interpreter/);
    expect(r5?.steps[0].detail).toContain('-m pip install "celery>=5.3.6"');
    expect(r5?.steps[0].detail).toContain('-m pip install "psycopg[binary]"');
    const e1 = report.gates.find((gate) => gate.id === 'E1');
    expect(e1?.steps.find((step) => step.id === 'prerequisite-requirement-celery')?.status).toBe('failed');
    expect(e1?.steps.find((step) => step.id === 'prerequisite-requirement-schemathesis')?.status).toBe('warning');
    // One finding for the interpreter, naming each missing package with its command: no generic card per red line.
    const python = report.findings.filter((f) => f.id === 'PYTHON-PREREQUISITES-MISSING');
    expect(python).toHaveLength(1);
    expect(python[0].evidence).toContain('-m pip install "celery>=5.3.6"');
    expect(python[0].evidence).not.toContain('schemathesis');
    expect(report.findings.filter((f) => f.id === 'STEP-FAILED')).toEqual([]);
  });

  it('a second rebuild is warm: R4 restored from the template, every gate passes, no safety snapshot', async () => {
    const warm = await rebuild();
    expect(warm.code, describeGates(warm.report)).toBe(0);
    expect(
      warm.report.gates.map((gate) => `${gate.id}:${gate.status}`),
      describeGates(warm.report),
    ).toEqual(GATES.map((id) => `${id}:passed`));
    const r4 = warm.report.gates.find((gate) => gate.id === 'R4');
    expect(r4?.steps.map((step) => step.id)).toEqual(['restored-from-template']);
    expect(r4?.steps[0].detail).toMatch(/^restored from template /);
    expect(warm.report.cache).toMatchObject({ status: 'warm' });
    expect(warm.report.snapshot, 'the rows in the database were written by the previous run\u2019s R5: no snapshot is needed').toBeUndefined();
  }, 360_000);
});
