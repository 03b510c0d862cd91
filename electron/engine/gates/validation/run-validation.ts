import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redactConnectionStrings } from '../../../../shared/contract/connection';
import type { EmitEvent } from '../../../../shared/contract/events';
import { appError, type AppError } from '../../../../shared/errors/app-error';
import type { PythonInfo } from '../../../../shared/prerequisites/prerequisites';
import type { GateReport, StepReport } from '../../../../shared/report/report';
import { GateRecorder } from '../gate-recorder';
import { childEnvironment, variableKeys } from '../../process/child-env';
import { runProcess, type ProcessResult } from '../../process/run-process';
import { watchedPythonArgs } from '../../process/parent-watch';
import { parseJUnitXml, type JUnitCase, type ParsedJUnit } from './junit-xml';
import { isFile, readTextIfPresent } from '../../platform/fs-probe';
import type { Finding } from '../../../../shared/report/report';
import type { RemoteConnectionHit, SuiteEnvironment } from '../../../../shared/parity/suite-environment';
import { findPostgresUrls, isLoopbackHost, parseLocalDatabase } from '../../ci/connection-urls';
import type { WorkflowFile } from '../../ci/github-workflow';
import { resolveSuiteEnvironment, type ResolvedSuiteEnvironment } from '../../ci/suite-environment';
import { dotenvLoaderOf } from './dotenv-loader';
import { passwordMismatchFinding, remoteConnectionFindings } from './r5-environment-findings';
import { scanSuiteForRemoteUrls } from './remote-url-scan';
import type { Sessions } from '../../db/run-sessions';
import { describeSessions, type OtherSession } from '../../db/other-sessions';
import { followSuiteSessions } from './suite-sessions';
import { cleanedOnExit } from '../../platform/cleaned-on-exit';

/**
 * Gate R5: the guide's behavioural tests, one step per suite, each run the way the
 * project's CI runs it (the environment and directory of the workflow step that names
 * the suite, pointed at the local database) or, when no step does, the way the guide
 * does (pytest with DATABASE_URL and PYTHONPATH=<repo>/backend). A suite whose code
 * sets a connection string for another host is held back unless the user allowed it.
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
  /** The repository's workflow files: a suite a CI step runs gets that step's environment. */
  workflows?: WorkflowFile[];
  /** Run suites whose code points at another server (the user confirmed it: --allow-remote-tests). */
  allowRemoteTests?: boolean;
  /** The tool logged in as the application role with databaseUrl's password during this run (for the 28P01 finding). */
  applicationLoginVerified?: boolean;
  /**
   * The run's sessions: with them, each suite's database sessions carry a name of their own
   * (PGAPPNAME), a lock they wait on is named with its holder at once, and the sessions a
   * stopped pytest left behind are ended.
   */
  sessions?: Sessions;
}

export type SuiteOutcome = 'passed' | 'skipped' | 'failed' | 'timed-out' | 'cancelled' | 'not-found' | 'not-run' | 'held-back';

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
  /** The environment each suite got (or would have got), values redacted, with their sources. */
  environments: SuiteEnvironment[];
  /** Findings about how the suites were run (remote connection strings, a password the code changes); already emitted. */
  findings: Finding[];
}

const TAIL_FOR_DETAIL = 10;

/**
 * pytest's report folders of the suites running now. A second Ctrl-C exits at once, before a
 * suite's own cleanup runs, and the parent watch that would remove them was already ended by
 * the first one's cancel: whatever is still here is removed synchronously as the process exits.
 */
const reportDirsInUse = cleanedOnExit<string>((dir) => fs.rmSync(dir, { recursive: true, force: true }));

export async function runValidation(options: ValidationOptions): Promise<ValidationResult> {
  const platform = options.platform ?? process.platform;
  const redact = makeRedactor(options.databaseUrl);
  const recorder = new GateRecorder('R5', options.emit, options.suites.length);
  const results: SuiteResult[] = [];
  const failureTexts: string[] = [];
  const findings: Finding[] = [];
  let cancelled = false;

  // Before any suite runs: each one's environment, and what its code does with connection strings.
  const prepared = new Map<string, { env: ResolvedSuiteEnvironment; heldBack: string | null }>();
  const inheritedRemote = remoteInherited(options.env ?? process.env);
  const scans: Array<{ suite: string; hits: RemoteConnectionHit[] }> = [];
  for (const suite of options.suites) {
    if (!isFile(path.resolve(options.repoDir, suite))) continue;
    const env = suiteEnvironment(suite, options, platform);
    for (const [name, host] of inheritedRemote) env.shown.notes.push(`${name} in this machine’s environment points at ${host}: not handed to the tests.`);
    const hits = scanSuiteForRemoteUrls(options.repoDir, suite);
    scans.push({ suite, hits });
    const unconditional = hits.filter((hit) => hit.unconditional);
    const heldBack =
      unconditional.length && !options.allowRemoteTests
        ? `held back: its code sets ${unconditional.map((hit) => `${hit.target} to a server on ${hit.host} (${hit.file}:${hit.line})`).join('; ')} whatever R5's environment says, ` +
          'so its tests would reach that server. Run it only if you mean to: allow its tests to reach that server for this run.'
        : null;
    prepared.set(suite, { env, heldBack });
    recorder.log(
      `${suite}: ${env.shown.source === 'workflow' ? `environment of ${env.shown.step}` : 'the guide’s environment'}, run from ${env.shown.workingDirectory || 'the repository root'}`,
    );
    for (const variable of env.shown.variables) recorder.log(redact(`  ${variable.name}=${variable.value}  ← ${variable.source}`));
    for (const note of env.shown.notes) recorder.log(redact(`  note: ${note}`));
  }
  // Named before anything runs.
  const remote = remoteConnectionFindings(scans, Boolean(options.allowRemoteTests));
  for (const finding of remote) options.emit({ kind: 'finding', finding });
  findings.push(...remote);

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
    const heldBack = prepared.get(suite)?.heldBack;
    if (heldBack) {
      const result = emptyResult(suite, 'held-back', heldBack);
      results.push(result);
      recorder.record({ id: stepId, title, status: 'failed', detail: heldBack, durationMs: 0, action: 'allow-remote-tests' });
      continue;
    }
    const started = Date.now();
    const result = await runSuite(suite, options, platform, redact, recorder, prepared.get(suite)?.env);
    results.push(result);
    if (result.outcome === 'cancelled') cancelled = true;
    failureTexts.push(...suiteFailureTexts(result, redact));
    const step: StepReport = {
      id: stepId,
      title,
      status: result.outcome === 'passed' ? 'passed' : result.outcome === 'skipped' ? 'warning' : 'failed',
      detail: withEnvironment(result.detail, prepared.get(suite)?.env.shown),
      durationMs: Date.now() - started,
      evidence: result.junit ? result.junit.suites.flatMap((junitSuite) => junitSuite.cases) : { outputTail: result.outputTail },
    };
    recorder.record(step);
  }

  const environments = [...prepared.values()].map((p) => p.env.shown);
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
    environments,
  });
  const login = parseLocalDatabase(options.databaseUrl);
  const mismatch = login ? passwordMismatchFinding(failureTexts, login.user, Boolean(options.applicationLoginVerified), environments) : null;
  if (mismatch) {
    options.emit({ kind: 'finding', finding: mismatch });
    findings.push(mismatch);
  }
  const error: AppError | undefined = cancelled ? appError('cancelled', 'The validation tests were cancelled.') : undefined;
  const gate = recorder.finish(undefined, error);
  return { gate, results, failureTexts, environments, findings };
}

/** A suite run with CI's environment says so on its step's line, so the CLI shows it too (the guide's is the default). */
function withEnvironment(detail: string, env: SuiteEnvironment | undefined): string {
  if (!env || env.source !== 'workflow') return detail;
  const where = env.workingDirectory ? `, run from ${env.workingDirectory}/` : '';
  const [first, ...rest] = detail.split('\n');
  return [`${first} \u2014 CI\u2019s environment (${env.step})${where}`, ...rest].join('\n');
}

function suiteEnvironment(suite: string, options: ValidationOptions, platform: NodeJS.Platform): ResolvedSuiteEnvironment {
  return resolveSuiteEnvironment({
    suite,
    files: options.workflows ?? [],
    repoDir: options.repoDir,
    guideDatabaseUrl: options.databaseUrl,
    platform,
    fileExists: (relative) => isFile(path.join(options.repoDir, ...relative.split('/'))),
    dotenvLoader: (workingDirectory) => dotenvLoaderOf(options.repoDir, workingDirectory),
  });
}

/** Variables this machine's environment carries that point a PostgreSQL URL at another host: pytest never gets them. */
function remoteInherited(base: Record<string, string | undefined>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(base)) {
    if (!value || /^(DATABASE_URL|PGPASSWORD)$/i.test(name)) continue;
    const remote = findPostgresUrls(value).find((url) => !isLoopbackHost(url.host));
    if (remote) out.push([name, remote.host]);
  }
  return out;
}

async function runSuite(
  suite: string,
  options: ValidationOptions,
  platform: NodeJS.Platform,
  redact: (text: string) => string,
  recorder: GateRecorder,
  suiteEnv: ResolvedSuiteEnvironment | undefined,
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
  reportDirsInUse.add(reportDir);
  const junitFile = path.join(reportDir, 'junit.xml');
  try {
    // -v: pytest names each test before running it, so when the interpreter dies (segfault, os._exit)
    // without a report, the last output line says which test was running.
    const args = [
      ...options.python.launcherArgs,
      '-m',
      'pytest',
      suiteEnv?.shown.pytestArgument ?? suite,
      '-p',
      'no:cacheprovider',
      `--junitxml=${junitFile}`,
      '-v',
    ];
    recorder.log(redact(`$ ${[options.python.command, ...args].map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ')}`));
    const env = pytestEnv(options, platform, suiteEnv);
    const database = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1));
    const followed = followSuiteSessions({ suite, sessions: options.sessions, env, platform, timeoutSeconds: options.timeoutSeconds, recorder, database });
    const run = await runProcess({
      command: options.python.command,
      // Under the parent watch: pytest (and its report folder) goes when the CLI or the app goes.
      args: [...options.python.launcherArgs, ...watchedPythonArgs(args.slice(options.python.launcherArgs.length), [reportDir])],
      watchParent: true,
      cwd: suiteEnv?.cwd ?? options.repoDir,
      env,
      timeoutMs: options.timeoutSeconds * 1000,
      signal: options.signal,
      platform,
      onLine: (line, stream) => recorder.log(redact(line), stream),
    }).finally(() => followed.stopWatching());
    if (run.ok && (run.value.timedOut || run.value.cancelled)) await followed.endLeftovers();
    if (!run.ok) {
      const message = redact([run.error.message, run.error.remediation].filter(Boolean).join(' '));
      return emptyResult(suite, 'failed', message);
    }
    return summarise(suite, run.value, junitFile, options.timeoutSeconds, redact, followed.lockHolders());
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
    reportDirsInUse.delete(reportDir);
  }
}

function summarise(
  suite: string,
  run: ProcessResult,
  junitFile: string,
  timeoutSeconds: number,
  redact: (text: string) => string,
  lockHolders: OtherSession[] = [],
): SuiteResult {
  const outputTail = run.log.slice(-TAIL_FOR_DETAIL).map(redact);
  const base = { suite, exitCode: run.exitCode, outputTail };
  if (run.cancelled) {
    return { ...base, outcome: 'cancelled', detail: 'cancelled', counts: zeroCounts(), durationMs: run.durationMs, junit: null };
  }
  if (run.timedOut) {
    const waiting = lockHolders.length ? ` while waiting on a lock held by ${describeSessions(lockHolders)}` : '';
    const detail = [`timed out after ${timeoutSeconds} s${waiting}`, ...outputTail.map((line) => `  ${line}`)].join('\n');
    return { ...base, outcome: 'timed-out', detail, counts: zeroCounts(), durationMs: run.durationMs, junit: null };
  }

  const xml = readTextIfPresent(junitFile);
  const parsed = xml === undefined ? undefined : parseJUnitXml(xml);
  if (!parsed || !parsed.ok) {
    // pytest ended before writing its report (usage error, crash in a plugin or conftest).
    const why = parsed && !parsed.ok ? parsed.error.message : 'without writing a JUnit report';
    const last = outputTail
      .filter((line) => line.trim())
      .slice(-3)
      .join(' | ');
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
  suiteEnv?: ResolvedSuiteEnvironment,
): Record<string, string | undefined> {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  // The tests connect as the application role: the superuser's password has no business there.
  const env: Record<string, string | undefined> = childEnvironment({}, options.env ?? process.env);
  const take = (name: string): string | undefined => {
    let value: string | undefined;
    for (const key of variableKeys(env, name, platform)) {
      value ??= env[key];
      delete env[key];
    }
    return value;
  };
  const existing = take('PYTHONPATH');
  take('DATABASE_URL');
  // No test may reach another server through a variable this machine happens to carry.
  for (const [name] of remoteInherited(env)) take(name);
  if (suiteEnv) {
    for (const name of Object.keys(suiteEnv.values)) take(name);
    Object.assign(env, suiteEnv.values);
    // The user's own PYTHONPATH follows the guide's; CI's replaces both, as on CI's runner.
    if (!suiteEnv.pythonPathFromCi && existing) env.PYTHONPATH = [suiteEnv.values.PYTHONPATH, existing].join(paths.delimiter);
  } else {
    env.PYTHONPATH = [paths.join(options.repoDir, 'backend'), ...(existing ? [existing] : [])].join(paths.delimiter);
    env.DATABASE_URL = options.databaseUrl;
  }
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
