import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redactConnectionStrings } from '../../../shared/contract/connection';
import type { EmitEvent } from '../../../shared/contract/events';
import { appError, type AppError } from '../../../shared/errors/app-error';
import type { PythonInfo } from '../../../shared/prerequisites/prerequisites';
import type { GateReport, StepReport } from '../../../shared/report/report';
import { GateRecorder } from '../pipeline/gate-recorder';
import { childEnvironment } from '../process/child-env';
import { runProcess, type ProcessResult } from '../process/run-process';
import { watchedPythonArgs } from '../process/parent-watch';
import { parseJUnitXml, type JUnitCase, type ParsedJUnit } from './junit-xml';
import { isFile, readTextIfPresent } from '../platform/fs-probe';

/**
 * Gate R5: the guide's behavioural tests, run the way the guide runs them
 * (pytest with DATABASE_URL and PYTHONPATH=<repo>/backend), one step per suite.
 * pytest writes a JUnit report that becomes the per-test list; its output is
 * streamed as log lines. The database password never leaves this module: every
 * line, detail and text is redacted first.
 */
export interface ValidationOptions {
  python: PythonInfo;
  repoDir: string;
  /** pytest files relative to the repo root (the profile's validationSuites). */
  suites: string[];
  /** Handed to pytest in the environment only, never in argv. */
  databaseUrl: string;
  /** Per suite. */
  timeoutSeconds: number;
  signal?: AbortSignal;
  emit: EmitEvent;
  /** Base environment for pytest; defaults to process.env. Secrets (superuser password, PGPASSWORD…) are removed either way. */
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
}

export type SuiteOutcome = 'passed' | 'skipped' | 'failed' | 'timed-out' | 'cancelled' | 'not-found' | 'not-run';

export interface SuiteCounts {
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
}

export interface SuiteResult {
  /** As given in the profile. */
  suite: string;
  outcome: SuiteOutcome;
  /** The step's one-line summary ("4 passed, 0 failed, 0 errors, 0 skipped in 1.2 s"). */
  detail: string;
  counts: SuiteCounts;
  /** pytest's own time for the tests, or the wall time when there is no report. */
  durationMs: number;
  exitCode: number | null;
  /** The parsed JUnit report; null when pytest wrote none (not found, timed out, crashed). */
  junit: ParsedJUnit | null;
  /** Last output lines, redacted: what the user sees when there is no report. */
  outputTail: string[];
}

export interface ValidationResult {
  gate: GateReport;
  results: SuiteResult[];
  /** Failure and error texts of every failed test (and the output of suites that hung), redacted, for the failure-mode findings. */
  failureTexts: string[];
}

const TAIL_FOR_DETAIL = 10;

export async function runValidation(options: ValidationOptions): Promise<ValidationResult> {
  const platform = options.platform ?? process.platform;
  const redact = makeRedactor(options.databaseUrl);
  const recorder = new GateRecorder('R5', options.emit, options.suites.length);
  const results: SuiteResult[] = [];
  const failureTexts: string[] = [];
  let cancelled = false;

  for (const suite of options.suites) {
    const stepId = `suite-${suite.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
    const title = `pytest ${suite}`;
    if (cancelled || options.signal?.aborted) {
      cancelled = true;
      const result = emptyResult(suite, 'not-run', 'not run: the run was cancelled');
      results.push(result);
      recorder.record({ id: stepId, title, status: 'skipped', detail: result.detail });
      continue;
    }
    const started = Date.now();
    const result = await runSuite(suite, options, platform, redact, recorder);
    results.push(result);
    if (result.outcome === 'cancelled') cancelled = true;
    failureTexts.push(...suiteFailureTexts(result, redact));
    const step: StepReport = {
      id: stepId,
      title,
      status: result.outcome === 'passed' ? 'passed' : result.outcome === 'skipped' ? 'warning' : 'failed',
      detail: result.detail,
      durationMs: Date.now() - started,
      evidence: result.junit ? result.junit.suites.flatMap((junitSuite) => junitSuite.cases) : { outputTail: result.outputTail },
    };
    recorder.record(step);
  }

  recorder.addDetails({
    suites: results.map((result) => ({
      suite: result.suite,
      outcome: result.outcome,
      detail: result.detail,
      ...result.counts,
      durationMs: result.durationMs,
      exitCode: result.exitCode,
      cases: result.junit ? result.junit.suites.flatMap((junitSuite) => junitSuite.cases) : [],
      outputTail: result.junit ? [] : result.outputTail,
    })),
  });
  const error: AppError | undefined = cancelled ? appError('cancelled', 'The validation tests were cancelled.') : undefined;
  const gate = recorder.finish(undefined, error);
  return { gate, results, failureTexts };
}

async function runSuite(
  suite: string,
  options: ValidationOptions,
  platform: NodeJS.Platform,
  redact: (text: string) => string,
  recorder: GateRecorder,
): Promise<SuiteResult> {
  const suitePath = path.resolve(options.repoDir, suite);
  if (!isFile(suitePath)) {
    return emptyResult(
      suite,
      'not-found',
      `suite not found: ${suitePath}. Check the profile's validation suites (paths are relative to the repo root), ` +
        'or switch to the branch that has this test file.',
    );
  }

  let reportDir: string;
  try {
    reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-r5-'));
  } catch (error) {
    return emptyResult(suite, 'failed', `could not create a temporary folder for pytest's report in ${os.tmpdir()}: ${(error as Error).message}`);
  }
  const junitFile = path.join(reportDir, 'junit.xml');
  try {
    // -v: pytest names each test before running it, so when the interpreter dies (segfault, os._exit)
    // without a report, the last output line says which test was running.
    const args = [...options.python.launcherArgs, '-m', 'pytest', suite, '-p', 'no:cacheprovider', `--junitxml=${junitFile}`, '-v'];
    recorder.log(redact(`$ ${[options.python.command, ...args].map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ')}`));
    const run = await runProcess({
      command: options.python.command,
      // Under the parent watch: pytest (and its report folder) goes when the CLI or the app goes.
      args: [...options.python.launcherArgs, ...watchedPythonArgs(args.slice(options.python.launcherArgs.length), [reportDir])],
      watchParent: true,
      cwd: options.repoDir,
      env: pytestEnv(options, platform),
      timeoutMs: options.timeoutSeconds * 1000,
      signal: options.signal,
      platform,
      onLine: (line, stream) => recorder.log(redact(line), stream),
    });
    if (!run.ok) {
      const message = redact([run.error.message, run.error.remediation].filter(Boolean).join(' '));
      return emptyResult(suite, 'failed', message);
    }
    return summarise(suite, run.value, junitFile, options.timeoutSeconds, redact);
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

function summarise(suite: string, run: ProcessResult, junitFile: string, timeoutSeconds: number, redact: (text: string) => string): SuiteResult {
  const outputTail = run.log.slice(-TAIL_FOR_DETAIL).map(redact);
  const base = { suite, exitCode: run.exitCode, outputTail };
  if (run.cancelled) {
    return { ...base, outcome: 'cancelled', detail: 'cancelled', counts: zeroCounts(), durationMs: run.durationMs, junit: null };
  }
  if (run.timedOut) {
    const detail = [`timed out after ${timeoutSeconds} s`, ...outputTail.map((line) => `  ${line}`)].join('\n');
    return { ...base, outcome: 'timed-out', detail, counts: zeroCounts(), durationMs: run.durationMs, junit: null };
  }

  const xml = readTextIfPresent(junitFile);
  const parsed = xml === undefined ? undefined : parseJUnitXml(xml);
  if (!parsed || !parsed.ok) {
    // pytest ended before writing its report (usage error, crash in a plugin or conftest).
    const why = parsed && !parsed.ok ? parsed.error.message : 'without writing a JUnit report';
    const last = outputTail.filter((line) => line.trim()).slice(-3).join(' | ');
    const ended = run.signal ? `was ended by signal ${run.signal}` : `exited with code ${run.exitCode}`;
    const detail = `pytest ${ended} ${why}${last ? `: ${last}` : ''}`;
    return { ...base, outcome: 'failed', detail, counts: zeroCounts(), durationMs: run.durationMs, junit: null };
  }

  const junit = redactJUnit(parsed.value, redact);
  const cases = junit.suites.flatMap((junitSuite) => junitSuite.cases);
  const counts: SuiteCounts = {
    passed: cases.filter((testCase) => testCase.status === 'passed').length,
    failed: cases.filter((testCase) => testCase.status === 'failed').length,
    errors: cases.filter((testCase) => testCase.status === 'error').length,
    skipped: cases.filter((testCase) => testCase.status === 'skipped').length,
  };
  const durationMs = junit.suites.reduce((sum, junitSuite) => sum + junitSuite.durationMs, 0);
  let detail = `${counts.passed} passed, ${counts.failed} failed, ${counts.errors} errors, ${counts.skipped} skipped in ${formatSeconds(durationMs)}`;
  let outcome: SuiteOutcome;
  if (counts.failed > 0 || counts.errors > 0) {
    outcome = 'failed';
  } else if (cases.length === 0) {
    // A suite that ran nothing proves nothing (pytest exit 5: no tests collected).
    outcome = 'failed';
    detail += ' (no tests ran)';
  } else if (run.exitCode !== 0) {
    // A clean report with a failing exit code means pytest itself failed after the tests.
    outcome = 'failed';
    detail += ` (pytest exited with code ${run.exitCode ?? run.signal})`;
  } else if (counts.passed === 0) {
    // Skips are allowed, but a suite that only skipped has shown nothing: a warning, not a pass.
    outcome = 'skipped';
    detail += ' (every test was skipped)';
  } else {
    outcome = 'passed';
  }
  return { ...base, outcome, detail, counts, durationMs, junit };
}

function suiteFailureTexts(result: SuiteResult, redact: (text: string) => string): string[] {
  if (result.junit) {
    return result.junit.suites
      .flatMap((junitSuite) => junitSuite.cases)
      .filter((testCase) => testCase.status === 'failed' || testCase.status === 'error')
      .map((testCase) => redact(`${result.suite}::${testCase.name}: ${[testCase.message, testCase.text].filter(Boolean).join('\n')}`));
  }
  if (result.outcome === 'timed-out' || result.outcome === 'failed') {
    return [redact(`${result.suite}: ${result.detail}${result.outcome === 'failed' ? `\n${result.outputTail.join('\n')}` : ''}`)];
  }
  return [];
}

function redactJUnit(junit: ParsedJUnit, redact: (text: string) => string): ParsedJUnit {
  const clean = (testCase: JUnitCase): JUnitCase => ({
    ...testCase,
    name: redact(testCase.name),
    ...(testCase.message !== undefined ? { message: redact(testCase.message) } : {}),
    ...(testCase.text !== undefined ? { text: redact(testCase.text) } : {}),
  });
  return { suites: junit.suites.map((junitSuite) => ({ ...junitSuite, cases: junitSuite.cases.map(clean) })) };
}

/**
 * The guide's environment: DATABASE_URL, and PYTHONPATH starting with
 * <repo>/backend (kept in front of any PYTHONPATH the user has). Windows
 * environment names are case-insensitive, so an existing "PythonPath" is
 * found and replaced rather than duplicated.
 */
export function pytestEnv(
  options: Pick<ValidationOptions, 'repoDir' | 'databaseUrl' | 'env'>,
  platform: NodeJS.Platform,
): Record<string, string | undefined> {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  // The tests connect as the application role: the superuser's password has no business there.
  const env: Record<string, string | undefined> = childEnvironment({}, options.env ?? process.env);
  const take = (name: string): string | undefined => {
    let value: string | undefined;
    for (const key of Object.keys(env)) {
      if (platform === 'win32' ? key.toUpperCase() === name : key === name) {
        value ??= env[key];
        delete env[key];
      }
    }
    return value;
  };
  const existing = take('PYTHONPATH');
  take('DATABASE_URL');
  env.PYTHONPATH = [paths.join(options.repoDir, 'backend'), ...(existing ? [existing] : [])].join(paths.delimiter);
  env.DATABASE_URL = options.databaseUrl;
  // pytest and Python would otherwise write .pyc files into the user's repo.
  env.PYTHONDONTWRITEBYTECODE = '1';
  return env;
}

/**
 * Redacts connection strings, and the password itself when it is distinctive
 * enough that replacing it cannot mangle ordinary output (a password equal to
 * the user name, like the guide's app_user/app_user, would blank out role names).
 */
export function makeRedactor(databaseUrl: string): (text: string) => string {
  const secrets: string[] = [];
  const match = /^[a-z0-9+.-]+:\/\/([^:/@\s]*):([^@\s]*)@/i.exec(databaseUrl.trim());
  if (match) {
    const [, user, raw] = match;
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // Not percent-encoded validly: the raw form is the one that can appear.
    }
    for (const secret of new Set([raw, decoded])) {
      if (secret.length >= 6 && secret !== user && secret !== safeDecode(user)) secrets.push(secret);
    }
  }
  return (text: string): string => {
    let out = redactConnectionStrings(text);
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** "1.2 s"; two decimals below a tenth, so a fast suite does not read "0.0 s". */
function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms > 0 && ms < 100 ? 2 : 1)} s`;
}

function emptyResult(suite: string, outcome: SuiteOutcome, detail: string): SuiteResult {
  return { suite, outcome, detail, counts: zeroCounts(), durationMs: 0, exitCode: null, junit: null, outputTail: [] };
}

function zeroCounts(): SuiteCounts {
  return { passed: 0, failed: 0, errors: 0, skipped: 0 };
}
