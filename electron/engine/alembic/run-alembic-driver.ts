import * as path from 'node:path';
import { redactConnectionStrings } from '../../../shared/contract/connection';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import type { PythonInfo } from '../../../shared/prerequisites/prerequisites';
import { childEnvironment } from '../process/child-env';
import { runProcess } from '../process/run-process';
import { watchedPythonArgs } from '../process/parent-watch';
import { resourceRoot } from '../resources/resource-root';

/**
 * Runs the planned Alembic steps in one Python process (skeldir_alembic_driver.py)
 * and turns its output into structured progress: each "Running upgrade A -> B, msg"
 * line becomes a revision event; the driver's "@@skeldir" lines frame the steps and
 * carry a failing step's SQLSTATE. DATABASE_URL travels in the environment only.
 */
export interface DriverRequest {
  python: PythonInfo;
  /** Absolute path of alembic.ini; Alembic runs in its folder. */
  iniPath: string;
  /** postgresql:// URL of the application role, with its password. Environment only. */
  databaseUrl: string;
  targets: string[];
  mode: 'upgrade' | 'sql';
  /** application_name of Alembic's server sessions (PGAPPNAME), so a cancel can end them. */
  applicationName?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  onRevision?: (revision: RevisionRun) => void;
  onStep?: (event: { kind: 'start' | 'done'; index: number; target: string }) => void;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RevisionRun {
  from: string[];
  to: string;
  message: string;
}

export interface StepFailure {
  index: number;
  target: string;
  errorType: string;
  /** SQLSTATE of the database error, when the failure came from PostgreSQL. */
  sqlstate: string | null;
  /** The server's primary message (may be localised: detectors match on sqlstate and quoted names). */
  message: string;
  text: string;
  /** Alembic's last "Running upgrade …" line before the failure. */
  running: string | null;
}

export interface DriverOutcome {
  completedSteps: number;
  revisions: RevisionRun[];
  failure: StepFailure | null;
  /** SQL per step in 'sql' mode. */
  sql: string[];
  cancelled: boolean;
  timedOut: boolean;
  exitCode: number | null;
  /** Every output line, passwords redacted. */
  log: string[];
  /** Last lines, for a crash report. */
  tail: string[];
}

const MARK = '@@skeldir ';
/**
 * Python's logging writes to stderr whatever the level; Alembic's "INFO  [alembic.runtime.migration]
 * Running upgrade …" is progress, not a warning, and is shown as ordinary output.
 */
const LOGGED_AS_INFO = /^(INFO|DEBUG)\s+\[/;
const RUNNING_UPGRADE = /Running upgrade (.*?) -> ([^\s,]+), ?(.*)$/;

export function driverScriptPath(): string {
  return path.join(resourceRoot(), 'electron', 'engine', 'alembic', 'driver', 'skeldir_alembic_driver.py');
}

function parseRunningUpgrade(line: string): RevisionRun | null {
  const match = RUNNING_UPGRADE.exec(line);
  if (!match) return null;
  const from = match[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { from, to: match[2], message: match[3].trim() };
}

interface DriverEvent {
  event: string;
  index?: number;
  target?: string;
  sql?: string;
  errorType?: string;
  sqlstate?: string | null;
  message?: string;
  text?: string;
  running?: string | null;
  /** A revision event's "Running upgrade A -> B, message". */
  line?: string;
}

export async function runAlembicDriver(request: DriverRequest): Promise<Result<DriverOutcome>> {
  const outcome: DriverOutcome = {
    completedSteps: 0,
    revisions: [],
    failure: null,
    sql: [],
    cancelled: false,
    timedOut: false,
    exitCode: null,
    log: [],
    tail: [],
  };
  let driverFailure: AppError | null = null;
  let stepFirstRevision = 0;
  const onLine = (raw: string, stream: 'stdout' | 'stderr') => {
    const line = redactConnectionStrings(raw);
    if (line.startsWith(MARK)) {
      let parsed: DriverEvent;
      try {
        parsed = JSON.parse(line.slice(MARK.length)) as DriverEvent;
      } catch {
        // Never dropped in silence: a lost event is a lost step result or a step's SQL.
        driverFailure ??= appError('subprocess-failed', 'The Alembic driver wrote an event that could not be read; its results are incomplete.', {
          detail: `${line.slice(0, 200)}… (${line.length} characters)`,
          remediation: 'Report this as a bug in Skeldir Rebuild, with the log of the run.',
        });
        return;
      }
      handleDriverEvent(parsed);
      return;
    }
    outcome.log.push(line);
    request.onLine?.(line, stream === 'stderr' && LOGGED_AS_INFO.test(line) ? 'stdout' : stream);
  };
  const handleDriverEvent = (event: DriverEvent) => {
    const index = event.index ?? 0;
    const target = event.target ?? '';
    switch (event.event) {
      case 'revision': {
        // On stdout with the step events, so each revision lands in the step that ran it.
        const revision = parseRunningUpgrade(redactConnectionStrings(event.line ?? ''));
        if (revision) {
          outcome.revisions.push(revision);
          request.onRevision?.(revision);
        }
        break;
      }
      case 'step-start':
        stepFirstRevision = outcome.revisions.length;
        request.onStep?.({ kind: 'start', index, target });
        break;
      case 'step-done':
        outcome.completedSteps = index + 1;
        request.onStep?.({ kind: 'done', index, target });
        break;
      case 'step-sql':
        // A step's SQL arrives in pieces (see the driver's emit_sql), in order.
        outcome.sql[index] = (outcome.sql[index] ?? '') + (event.sql ?? '');
        break;
      case 'step-failed':
        outcome.failure = {
          index,
          target,
          errorType: event.errorType ?? 'Error',
          sqlstate: event.sqlstate ?? null,
          message: redactConnectionStrings(event.message ?? ''),
          text: redactConnectionStrings(event.text ?? ''),
          running: event.running ?? null,
        };
        break;
      case 'driver-failed':
        driverFailure = appError('python-packages-missing', `Alembic cannot be imported by ${request.python.command}.`, {
          detail: event.message,
          // The pip command for each missing package, quoted for the user's shell, is the prerequisites check's to give.
          remediation: "Install the project's requirements into this interpreter: a diagnosis lists each missing package with its pip command.",
        });
        break;
    }
  };

  const result = await runProcess({
    command: request.python.command,
    // Under the parent watch: a CLI or app that dies mid-R4 takes the driver (and its transaction) with it.
    args: [...request.python.launcherArgs, ...watchedPythonArgs([driverScriptPath(), request.iniPath, request.mode, ...request.targets])],
    watchParent: true,
    cwd: path.dirname(request.iniPath),
    env: childEnvironment({ DATABASE_URL: request.databaseUrl, ...(request.applicationName ? { PGAPPNAME: request.applicationName } : {}) }),
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    onLine,
  });
  if (!result.ok) return err(result.error);
  if (driverFailure) return err(driverFailure);
  const run = result.value;
  if (outcome.failure && !outcome.failure.running && outcome.revisions.length > stepFirstRevision) {
    // Alembic's logging may be reconfigured by env.py; the line we parsed ourselves is as good.
    const last = outcome.revisions[outcome.revisions.length - 1];
    outcome.failure.running = `Running upgrade ${last.from.join(', ')} -> ${last.to}, ${last.message}`;
  }
  outcome.cancelled = run.cancelled;
  outcome.timedOut = run.timedOut;
  outcome.exitCode = run.exitCode;
  outcome.tail = [...run.stderrTail.slice(-20)].map(redactConnectionStrings);
  if (!outcome.failure && !run.cancelled && !run.timedOut && run.exitCode !== 0) {
    // A crash (segfault, killed, broken env.py before our first marker): report its last words.
    outcome.failure = {
      index: outcome.completedSteps,
      target: request.targets[outcome.completedSteps] ?? '',
      errorType: 'ProcessExit',
      sqlstate: null,
      message: `The Alembic process ended with ${run.signal ? `signal ${run.signal}` : `exit code ${run.exitCode}`}.`,
      text: outcome.tail.join('\n'),
      running: outcome.revisions.length ? `Running upgrade -> ${outcome.revisions[outcome.revisions.length - 1].to}` : null,
    };
  }
  return ok(outcome);
}
