import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import type { EngineEvent } from '../../../../shared/contract/events';
import type { PythonInfo } from '../../../../shared/prerequisites/prerequisites';
import { checkPrerequisites } from '../../../../electron/engine/python/check-prerequisites';
import { findPython } from '../../../../electron/engine/python/find-python';
import { parseJUnitXml } from '../../../../electron/engine/gates/validation/junit-xml';
import { processAlive as running } from '../../../../electron/engine/platform/process-alive';
import { pytestEnv, runValidation, type ValidationResult } from '../../../../electron/engine/gates/validation/run-validation';
import { ensureTestPython } from '../../../support/python-env';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * Gate R5 against a real Python and real pytest, on a throwaway repo whose path
 * has spaces (like "C:\Users\x\II SKELDIR II"). No PostgreSQL: the tests never
 * connect, they only see DATABASE_URL, whose password must never come back out.
 */
const PASSWORD = 's3cret-pw';
const DATABASE_URL = `postgresql://app_user:${PASSWORD}@127.0.0.1:1/x`;

const SAMPLE_TESTS = `
import os
import pytest
from app.marker import VALUE  # importable only through PYTHONPATH=<repo>/backend


@pytest.fixture
def event_loop_helper():
    raise RuntimeError("asyncio.run() cannot be called from a running event loop")


def test_passes():
    assert VALUE == "from backend"
    # The tests connect as the application role; the superuser's password is not theirs to see.
    assert "SKELDIR_SUPERUSER_PASSWORD" not in os.environ


def test_fails():
    print("connecting to " + os.environ["DATABASE_URL"])
    assert os.environ["DATABASE_URL"] == "postgresql://nobody@nowhere/none", "wrong url " + os.environ["DATABASE_URL"]


def test_errors(event_loop_helper):
    pass


@pytest.mark.skip(reason="needs the Celery worker")
def test_skipped():
    pass
`;

const PASSING_TESTS = `
def test_one():
    assert True


def test_two():
    assert "café ✓ Ж".upper() == "CAFÉ ✓ Ж"
`;

/** Sleeps a minute after writing its pid and a child's pid, so the test can check both are gone. */
const SLEEPING_TESTS = `
import os
import subprocess
import sys
import time


def test_sleeps():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with open(os.environ["SKELDIR_TEST_PID_FILE"], "w") as handle:
        handle.write("%d %d" % (os.getpid(), child.pid))
    print("sleeping", flush=True)
    time.sleep(60)
`;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

let scratch: string;
let repo: string;
let pidFile: string;
let testPython: string;
let python: PythonInfo;

beforeAll(async () => {
  testPython = await ensureTestPython();
  scratch = makeTempDir('skeldir-r5-test-');
  repo = path.join(scratch, 'II SKELDIR II');
  pidFile = path.join(scratch, 'pids.txt');
  write(path.join(repo, 'backend', 'app', '__init__.py'), '');
  write(path.join(repo, 'backend', 'app', 'marker.py'), 'VALUE = "from backend"\n');
  write(path.join(repo, 'backend', 'tests', 'test_sample.py'), SAMPLE_TESTS);
  write(path.join(repo, 'backend', 'tests', 'test_passing.py'), PASSING_TESTS);
  write(path.join(repo, 'backend', 'tests', 'test_sleeping.py'), SLEEPING_TESTS);
  const found = await findPython({ repoDir: repo, flag: testPython, env: { ...process.env } });
  if (!found.ok) throw new Error(`test python not usable: ${found.error.message}`);
  python = found.value;
});

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('runValidation (Gate R5)', () => {
  let result: ValidationResult;
  let hung: ValidationResult;
  const events: EngineEvent[] = [];
  const hungEvents: EngineEvent[] = [];
  let hungMs = 0;

  beforeAll(async () => {
    // The suites that finish get a generous timeout, so a loaded machine cannot turn them into timeouts.
    result = await runValidation({
      python,
      repoDir: repo,
      suites: ['backend/tests/test_sample.py', 'backend/tests/test_passing.py', 'backend/tests/test_missing.py'],
      databaseUrl: DATABASE_URL,
      timeoutSeconds: 120,
      emit: (event) => events.push(event),
      env: { ...process.env, SKELDIR_SUPERUSER_PASSWORD: 'superuser-secret', PYTHONPATH: path.join(scratch, 'elsewhere') },
    });
    const started = Date.now();
    hung = await runValidation({
      python,
      repoDir: repo,
      suites: ['backend/tests/test_sleeping.py'],
      databaseUrl: DATABASE_URL,
      timeoutSeconds: 3,
      emit: (event) => hungEvents.push(event),
      env: { ...process.env, SKELDIR_TEST_PID_FILE: pidFile },
    });
    hungMs = Date.now() - started;
  });

  it('reports each test of a suite with its status, message and text', () => {
    const sample = result.results[0];
    expect(sample.outcome).toBe('failed');
    const cases = sample.junit?.suites.flatMap((suite) => suite.cases) ?? [];
    expect(Object.fromEntries(cases.map((testCase) => [testCase.name, testCase.status]))).toEqual({
      test_passes: 'passed',
      test_fails: 'failed',
      test_errors: 'error',
      test_skipped: 'skipped',
    });
    const failed = cases.find((testCase) => testCase.name === 'test_fails');
    expect(failed?.message).toContain('wrong url postgresql://app_user:***@127.0.0.1:1/x');
    expect(failed?.text).toContain('AssertionError');
    expect(cases.find((testCase) => testCase.name === 'test_skipped')?.message).toBe('needs the Celery worker');
  });

  it('makes one step per suite with a summary line and the per-test evidence', () => {
    expect(result.gate.id).toBe('R5');
    expect(result.gate.status).toBe('failed');
    expect(result.gate.steps.map((step) => step.status)).toEqual(['failed', 'passed', 'failed']);
    const [sample, passing, missing] = result.gate.steps;
    expect(sample.detail).toMatch(/^1 passed, 1 failed, 1 errors, 1 skipped in \d+\.\d\d? s$/);
    expect(passing.detail).toMatch(/^2 passed, 0 failed, 0 errors, 0 skipped in \d+\.\d\d? s$/);
    expect(Array.isArray(sample.evidence) && sample.evidence).toHaveLength(4);
    expect(missing.detail).toContain('suite not found: ');
    expect(missing.detail).toContain(path.join(repo, 'backend', 'tests', 'test_missing.py'));
  });

  it('ends a hung suite at its timeout, leaving no python process behind', () => {
    expect(hung.gate.status).toBe('failed');
    expect(hung.results[0].outcome).toBe('timed-out');
    expect(hung.gate.steps[0].detail).toMatch(/^timed out after 3 s/);
    expect(hung.failureTexts.some((text) => text.includes('timed out after 3 s'))).toBe(true);
    const pids = fs.readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(running(pid)).toBe(false);
    // Nowhere near the test's 60-second sleep.
    expect(hungMs).toBeGreaterThanOrEqual(3_000);
    expect(hungMs).toBeLessThan(20_000);
    expect((hung.gate.details?.suites as Array<Record<string, unknown>>)[0]).toMatchObject({ outcome: 'timed-out', cases: [] });
  });

  it('collects the failure texts for the failure-mode findings', () => {
    expect(result.failureTexts.some((text) => text.includes('asyncio.run() cannot be called from a running event loop'))).toBe(true);
    expect(result.failureTexts.some((text) => text.includes('test_fails') && text.includes('AssertionError'))).toBe(true);
  });

  it('streams pytest output as R5 log lines and sums up the suites in the gate details', () => {
    const logs = events.filter((event): event is Extract<EngineEvent, { kind: 'log-line' }> => event.kind === 'log-line');
    expect(logs.every((event) => event.gate === 'R5')).toBe(true);
    expect(logs.some((event) => /1 failed, 1 passed, 1 skipped, 1 error/.test(event.line))).toBe(true);
    expect(logs.some((event) => event.line.includes('-m pytest backend/tests/test_passing.py'))).toBe(true);
    expect(events[0]).toMatchObject({ kind: 'gate-started', gate: 'R5', totalSteps: 3 });
    expect(events.filter((event) => event.kind === 'step-finished')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ kind: 'gate-finished', gate: 'R5' });
    const suites = result.gate.details?.suites as Array<Record<string, unknown>>;
    expect(suites.map((suite) => [suite.suite, suite.outcome])).toEqual([
      ['backend/tests/test_sample.py', 'failed'],
      ['backend/tests/test_passing.py', 'passed'],
      ['backend/tests/test_missing.py', 'not-found'],
    ]);
    expect(suites[1]).toMatchObject({ passed: 2, failed: 0, errors: 0, skipped: 0 });
  });

  it('never lets the database password out', () => {
    const everything = JSON.stringify({ result, events, hung, hungEvents });
    expect(everything).toContain('app_user:***@');
    expect(everything).not.toContain(PASSWORD);
  });
});

describe('pytestEnv', () => {
  it('puts <repo>/backend first on PYTHONPATH with the platform\u2019s separator, whatever the case of the name on Windows', () => {
    const env = pytestEnv(
      { repoDir: 'C:\\Users\\x\\II SKELDIR II', databaseUrl: DATABASE_URL, env: { PythonPath: 'C:\\lib', database_url: 'old', PGPASSWORD: 'pw' } },
      'win32',
    );
    expect(env.PYTHONPATH).toBe('C:\\Users\\x\\II SKELDIR II\\backend;C:\\lib');
    expect(env.PythonPath).toBeUndefined();
    expect(env.database_url).toBeUndefined();
    expect(env.DATABASE_URL).toBe(DATABASE_URL);
    expect(env.PGPASSWORD).toBeUndefined();
  });

  it('uses ":" on POSIX and adds nothing when there was no PYTHONPATH', () => {
    expect(pytestEnv({ repoDir: '/r', databaseUrl: DATABASE_URL, env: { PYTHONPATH: '/a:/b' } }, 'linux').PYTHONPATH).toBe('/r/backend:/a:/b');
    expect(pytestEnv({ repoDir: '/r', databaseUrl: DATABASE_URL, env: {} }, 'linux').PYTHONPATH).toBe('/r/backend');
  });
});

describe('runValidation cancellation', () => {
  it('ends the running suite and skips the rest when the signal aborts', async () => {
    const controller = new AbortController();
    const cancelPidFile = path.join(scratch, 'cancel-pids.txt');
    const events: EngineEvent[] = [];
    const started = Date.now();
    const run = runValidation({
      python,
      repoDir: repo,
      suites: ['backend/tests/test_sleeping.py', 'backend/tests/test_passing.py'],
      databaseUrl: DATABASE_URL,
      timeoutSeconds: 60,
      signal: controller.signal,
      emit: (event) => events.push(event),
      env: { ...process.env, SKELDIR_TEST_PID_FILE: cancelPidFile },
    });
    // Abort once the test is inside its sleep: its pid file is complete by then.
    const poll = setInterval(() => {
      if (fs.existsSync(cancelPidFile) && fs.readFileSync(cancelPidFile, 'utf8').includes(' ')) controller.abort();
    }, 100);
    const result = await run.finally(() => clearInterval(poll));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.results.map((suite) => suite.outcome)).toEqual(['cancelled', 'not-run']);
    expect(result.gate.steps.map((step) => step.status)).toEqual(['failed', 'skipped']);
    expect(result.gate.status).toBe('failed');
    expect(result.gate.error?.code).toBe('cancelled');
    for (const pid of fs.readFileSync(cancelPidFile, 'utf8').trim().split(' ').map(Number)) expect(running(pid)).toBe(false);
  });
});

describe('pytest JUnit report from the real pytest', () => {
  it('parses what this pytest writes, with non-ASCII text intact', () => {
    const report = path.join(scratch, 'direct.xml');
    const run = spawnSync(testPython, ['-m', 'pytest', 'backend/tests/test_passing.py', '-p', 'no:cacheprovider', `--junitxml=${report}`, '-q'], {
      cwd: repo,
      env: { ...process.env, PYTHONPATH: path.join(repo, 'backend') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const parsed = parseJUnitXml(fs.readFileSync(report, 'utf8'));
    expect(parsed.ok && parsed.value.suites[0].cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ['test_one', 'passed'],
      ['test_two', 'passed'],
    ]);
  });
});

// findPython and checkPrerequisites need a real interpreter too; they live here with the one the tests share.
describe('findPython and checkPrerequisites with a real interpreter', () => {
  it('probes the --python interpreter: version and packages', () => {
    expect(python.source).toBe('flag');
    expect(python.command).toBe(testPython);
    expect(python.version).toMatch(/^3\.\d+\.\d+$/);
    expect(python.packages).toEqual({ alembic: true, sqlalchemy: true, psycopg2: true, pytest: true, pytest_asyncio: true });
  });

  it.skipIf(process.platform === 'win32')(
    'passes over a repo venv that is not an interpreter (like the Windows Store stub) and rejects it as --python',
    async () => {
      const stubRepo = path.join(scratch, 'stub repo');
      const stub = path.join(stubRepo, '.venv', 'bin', 'python');
      write(stub, '#!/bin/sh\necho "Python was not found; run without arguments to install from the Microsoft Store"\nexit 49\n');
      fs.chmodSync(stub, 0o755);
      const env = { ...process.env, SKELDIR_PYTHON: undefined };

      const searched = await findPython({ repoDir: stubRepo, env });
      expect(searched.ok).toBe(true);
      if (searched.ok) {
        expect(searched.value.source).toBe('path');
        expect(path.isAbsolute(searched.value.command)).toBe(true);
      }

      const flagged = await findPython({ repoDir: stubRepo, flag: stub, env });
      expect(flagged.ok).toBe(false);
      if (!flagged.ok) {
        expect(flagged.error.code).toBe('python-not-found');
        // Neutral words in the engine; the CLI adds "--python", the app its interpreter field.
        expect(flagged.error.message).toContain(`The interpreter you chose, ${stub}, is not a working Python interpreter`);
        expect(flagged.error.action).toBe('choose-python');
        expect(flagged.error.detail).toContain('Microsoft Store');
      }
    },
  );

  it('ticks every line for a ready repo', async () => {
    write(path.join(repo, 'backend', 'requirements.txt'), 'alembic\n');
    write(path.join(repo, 'alembic.ini'), '[alembic]\nscript_location = alembic\nsqlalchemy.url =\n');
    // Pinned to psycopg2 as the fixture's env.py is: a bare postgresql:// would need psycopg 3 with SQLAlchemy 2.1.
    write(path.join(repo, 'alembic', 'env.py'), 'import os\nurl = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg2://")\n');
    const report = await checkPrerequisites({ repoDir: repo, pythonFlag: testPython, env: { ...process.env } });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.id)).toEqual([
      'python',
      'python-version',
      'package-alembic',
      'package-sqlalchemy',
      'package-psycopg2',
      'package-pytest',
      'database-driver',
      'requirements',
      'alembic-ini',
    ]);
    expect(report.python?.command).toBe(testPython);
    expect(report.checks.at(-1)?.detail).toContain('env.py');
  });

  it('gives the exact pip command when packages are missing, and says what alembic.ini lacks', async () => {
    const bareRepo = path.join(scratch, 'bare repo');
    const venv = path.join(bareRepo, 'backend', '.venv');
    const made = spawnSync(testPython, ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    write(path.join(bareRepo, 'backend', 'requirements.txt'), 'alembic\n');
    write(path.join(bareRepo, 'alembic.ini'), '[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://u:p@localhost/db\n');
    const report = await checkPrerequisites({ repoDir: bareRepo, env: { ...process.env, SKELDIR_PYTHON: undefined }, platform: process.platform });
    expect(report.ok).toBe(false);
    expect(report.python?.source).toBe('repo-venv');
    const venvPython = process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
    const alembic = report.checks.find((check) => check.id === 'package-alembic');
    expect(alembic?.ok).toBe(false);
    expect(alembic?.fix).toBe(
      `${process.platform === 'win32' ? '& ' : ''}"${venvPython}" -m pip install -r "${path.join(bareRepo, 'backend', 'requirements.txt')}"`,
    );
    const ini = report.checks.find((check) => check.id === 'alembic-ini');
    expect(ini?.ok).toBe(false);
    expect(ini?.fix).toContain('DATABASE_URL');

    fs.rmSync(path.join(bareRepo, 'backend', 'requirements.txt'));
    fs.rmSync(path.join(bareRepo, 'alembic.ini'));
    const again = await checkPrerequisites({ repoDir: bareRepo, env: { ...process.env, SKELDIR_PYTHON: undefined } });
    expect(again.checks.find((check) => check.id === 'package-pytest')?.fix).toContain(
      '-m pip install alembic sqlalchemy psycopg2-binary pytest pytest-asyncio',
    );
    // A folder without alembic.ini is the repository's problem (opening the project says it), not the interpreter's.
    expect(again.checks.find((check) => check.id === 'alembic-ini')).toBeUndefined();
    expect(again.checks.some((check) => /alembic\.ini/.test(`${check.detail} ${check.fix ?? ''}`))).toBe(false);
  });

  it('says where to get Python when none answers', async () => {
    const report = await checkPrerequisites({ repoDir: repo, env: { PATH: scratch } });
    expect(report.python).toBeNull();
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'python', ok: false });
    expect(report.checks[0].fix).toMatch(/Python 3\.11/);
  });
});
