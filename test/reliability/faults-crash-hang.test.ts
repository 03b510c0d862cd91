import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATION_TIMEOUT_MS } from '../../electron/engine/gates/migrate/migrate-gate';
import { runPipeline, type PipelineRequest } from '../../electron/engine/pipeline/run-pipeline';
import { profileSchema, type Profile } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { addRevision, adminQuery, processesMentioning, SAMPLE_HEAD, useClusterAtFirstStep } from './reliability-helpers';

/**
 * Fault: the Alembic or pytest process crashes (exit without a result, or killed by a
 * signal) or hangs. A crash is reported with its last output lines; a hang is ended by
 * the step's time limit and its whole process tree (a grandchild included) is gone; the
 * database is left as before the interrupted step.
 */
const FAULT = '202512170000';
/** A marker in the grandchild's command line, to find it in /proc. */
const GRANDCHILD_MARK = `skeldir-reliability-grandchild-${process.pid}`;

// Bootstrap and the first planned step once; each test then runs only the faulty step.
const cluster = useClusterAtFirstStep((repo) => {
  // One revision whose behaviour the test picks through the environment (Alembic inherits it).
  addRevision(
    repo,
    FAULT,
    SAMPLE_HEAD,
    [
      'op.execute("CREATE TABLE fault_marker (id int)")',
      'mode = os.environ.get("SKELDIR_RELIABILITY_FAULT", "")',
      'sys.stderr.write("fault revision: creating fault_marker, then mode=%s\\n" % mode)',
      'sys.stderr.flush()',
      'if mode == "exit":',
      '    os._exit(3)',
      'if mode == "kill":',
      '    import signal',
      '    os.kill(os.getpid(), signal.SIGKILL)',
      'if mode == "hang":',
      '    import subprocess',
      `    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${GRANDCHILD_MARK}"])`,
      '    time.sleep(600)',
    ],
    'fault',
  );
  const pytestDir = path.join(repo, 'backend', 'tests');
  fs.writeFileSync(
    path.join(pytestDir, 'test_reliability_hang.py'),
    [
      'import subprocess, sys, time',
      '',
      'def test_hangs():',
      '    print("suite: starting a grandchild, then sleeping", flush=True)',
      `    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${GRANDCHILD_MARK}-pytest"])`,
      '    time.sleep(600)',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(pytestDir, 'test_reliability_crash.py'),
    [
      'import os, sys',
      '',
      'def test_crashes():',
      '    sys.stderr.write("suite: about to crash hard\\n")',
      '    sys.stderr.flush()',
      '    os._exit(3)',
      '',
    ].join('\n'),
  );
});
afterEach(() => {
  delete process.env.SKELDIR_RELIABILITY_FAULT;
});
afterAll(() => {
  for (const pid of [...processesMentioning(GRANDCHILD_MARK)]) process.kill(pid, 'SIGKILL');
});

function run(gates: PipelineRequest['gates'], extra: Partial<PipelineRequest> = {}): Promise<RunReport> {
  return runPipeline(
    {
      command: 'test',
      gates,
      settings: cluster.pg.settings,
      profile: SKELDIR_PROFILE,
      repoDir: cluster.repo,
      pythonFlag: cluster.python,
      bootstrap: { dropExisting: false, confirmed: false, allowRemote: false },
      ...extra,
    },
    () => undefined,
  );
}

async function databaseUnchanged(): Promise<void> {
  const rows = await adminQuery<{ version_num: string }>(cluster.pg.settings, 'SELECT version_num FROM alembic_version', [], 'skeldir_validation');
  expect(rows.map((r) => r.version_num)).toEqual(['202511131121']);
  const marker = await adminQuery<{ t: string | null }>(cluster.pg.settings, "SELECT to_regclass('public.fault_marker')::text AS t", [], 'skeldir_validation');
  expect(marker[0].t).toBeNull();
}

describe('Alembic crashes or hangs', () => {
  it('exits without a result (os._exit(3)): MIGRATION-CRASHED with its last output lines; nothing committed', async () => {
    process.env.SKELDIR_RELIABILITY_FAULT = 'exit';
    const report = await run(['E1', 'R4'], { explicitTargets: [FAULT] });
    const r4 = report.gates.find((g) => g.id === 'R4');
    expect(r4?.status).toBe('failed');
    const crashed = report.findings.find((f) => f.id === 'MIGRATION-CRASHED');
    expect(crashed?.evidence).toMatch(/^The Alembic process ended with exit code 3\.\nLast output:\n/);
    expect(crashed?.evidence).toContain('fault revision: creating fault_marker, then mode=exit');
    expect(crashed?.evidence).toMatch(new RegExp(`Running upgrade .*-> ${FAULT}`));
    console.log(`[reliability] alembic os._exit(3) -> ${crashed?.title}: ${crashed?.evidence.split('\n').slice(0, 1).join(' ')}`);
    expect(processesMentioning(path.join(cluster.repo, 'alembic.ini'))).toEqual([]);
    await databaseUnchanged();
  });

  it('killed by a signal (SIGKILL): MIGRATION-CRASHED naming the signal; nothing committed', async () => {
    process.env.SKELDIR_RELIABILITY_FAULT = 'kill';
    const report = await run(['E1', 'R4'], { explicitTargets: [FAULT] });
    const crashed = report.findings.find((f) => f.id === 'MIGRATION-CRASHED');
    expect(crashed?.evidence).toMatch(/^The Alembic process ended with signal SIGKILL\.\nLast output:\n/);
    expect(crashed?.evidence).toContain('mode=kill');
    console.log(`[reliability] alembic SIGKILL -> ${crashed?.title}: ${crashed?.evidence.split('\n')[0]}`);
    await databaseUnchanged();
  });

  it('hangs: ended by the step time limit, the process tree (grandchild too) is gone, the transaction rolled back', async () => {
    process.env.SKELDIR_RELIABILITY_FAULT = 'hang';
    const started = Date.now();
    const report = await run(['E1', 'R4'], { explicitTargets: [FAULT], migrationTimeoutMs: 4_000 });
    expect(Date.now() - started).toBeLessThan(45_000);
    const r4 = report.gates.find((g) => g.id === 'R4');
    expect(r4?.status).toBe('failed');
    const step = r4?.steps.find((s) => s.id === 'upgrade-1');
    expect(step?.detail).toBe("ended: the upgrade took longer than R4's time limit (4 s); the running transaction was rolled back");
    console.log(`[reliability] alembic hang -> R4 step: ${step?.detail}`);
    expect(processesMentioning(GRANDCHILD_MARK)).toEqual([]);
    expect(processesMentioning(path.join(cluster.repo, 'alembic.ini'))).toEqual([]);
    // The session the killed Alembic left open was ended, so nothing waits on its locks.
    const open = await adminQuery<{ n: number }>(
      cluster.pg.settings,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'skeldir-rebuild-r4-%'",
    );
    expect(open[0].n).toBe(0);
    await databaseUnchanged();
  });

  it('R4 always has a time limit, even when the caller gives none', () => {
    expect(DEFAULT_MIGRATION_TIMEOUT_MS).toBeGreaterThan(0);
    expect(Number.isFinite(DEFAULT_MIGRATION_TIMEOUT_MS)).toBe(true);
  });
});

describe('pytest crashes or hangs', () => {
  const profileWith = (suite: string, timeoutSeconds: number): Profile =>
    profileSchema.parse({ ...SKELDIR_PROFILE, validationSuites: [suite], validationTimeoutSeconds: timeoutSeconds });

  it('a suite that hangs is ended by its time limit and its process tree is gone', async () => {
    const started = Date.now();
    const report = await run(['E1', 'R5'], { profile: profileWith('backend/tests/test_reliability_hang.py', 4) });
    expect(Date.now() - started).toBeLessThan(45_000);
    const r5 = report.gates.find((g) => g.id === 'R5');
    expect(r5?.status).toBe('failed');
    expect(r5?.steps[0].detail).toMatch(/^timed out after 4 s/);
    console.log(`[reliability] pytest hang -> R5 step: ${r5?.steps[0].detail.split('\n')[0]}`);
    expect(processesMentioning(`${GRANDCHILD_MARK}-pytest`)).toEqual([]);
    expect(processesMentioning('test_reliability_hang.py')).toEqual([]);
  });

  it('a suite that crashes (os._exit(3)) is reported with its last output lines', async () => {
    const report = await run(['E1', 'R5'], { profile: profileWith('backend/tests/test_reliability_crash.py', 60) });
    const r5 = report.gates.find((g) => g.id === 'R5');
    expect(r5?.status).toBe('failed');
    // Its own output was captured by pytest and died with it; the last line names the test that was running.
    expect(r5?.steps[0].detail).toMatch(
      /^pytest exited with code 3 without writing a JUnit report: .*backend\/tests\/test_reliability_crash\.py::test_crashes/,
    );
    console.log(`[reliability] pytest os._exit(3) -> R5 step: ${r5?.steps[0].detail}`);
    expect(report.findings.map((f) => f.id)).toContain('VALIDATION-FAILED');
  });
});
