import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import { createLineDecoder } from './stream-decoder';
import { isDirectory } from '../platform/fs-probe';
import { cleanedOnExit } from '../platform/cleaned-on-exit';

/**
 * The one way the engine runs a child process (Python, Alembic, pytest, psql).
 *
 * - Never through a shell: arguments travel as an array, so a repo path with
 *   spaces ("II SKELDIR II") or quotes needs no quoting and cannot inject.
 * - A child never outlives its run: on POSIX it leads its own process group and
 *   the whole group is signalled; on Windows `taskkill /T` ends the tree.
 * - Output is decoded as UTF-8 (Python is told to write it) with a cp1252
 *   fallback for Windows tools, and split into lines on \r\n, \n or \r.
 */
export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  /** The child's whole environment (pass `{ ...process.env, … }` to inherit); undefined values are dropped. */
  env: Record<string, string | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Give the child a pipe on stdin that is never written to and closes only when this
   * process ends, however it ends: a child started through skeldir_parent_watch.py (see
   * parent-watch) reads its end-of-file and stops.
   */
  watchParent?: boolean;
  /**
   * Accepted so callers can hand one platform through the engine. It changes
   * nothing here: the batch-file rule holds everywhere, and spawning and killing
   * must follow the real OS.
   */
  platform?: NodeJS.Platform;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Every line of stdout and stderr, plain, in arrival order. */
  log: string[];
  /** The last TAIL_LINES lines of each stream. */
  stdoutTail: string[];
  stderrTail: string[];
  durationMs: number;
  pid: number | undefined;
}

const TAIL_LINES = 40;
/** POSIX: time between SIGTERM and SIGKILL, so Python can run its finally blocks. */
const KILL_GRACE_MS = 2_000;
/** After SIGKILL, how long to wait for the group to vanish before giving up. */
const KILL_CONFIRM_MS = 1_000;
const POLL_MS = 50;
/**
 * After the child exits, how long its pipes may stay open. Longer means a
 * descendant inherited them and is still running: on POSIX it is in our child's
 * process group, so it is ended with it.
 */
const STDIO_CLOSE_GRACE_MS = 1_000;

/** Python writes UTF-8 whatever the Windows console code page, and flushes each line. */
const PYTHON_ENV = { PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1' } as const;

/**
 * The process groups of children still running (POSIX). A second Ctrl-C exits this process at
 * once, before a cancel's SIGTERM-then-SIGKILL has finished: on the way out each group still
 * here gets SIGKILL, so a descendant that ignores SIGTERM does not outlive us.
 */
const liveGroups = cleanedOnExit<number>((group) => signalGroup(group, 'SIGKILL'));

export async function runProcess(spec: ProcessSpec): Promise<Result<ProcessResult>> {
  const started = Date.now();
  const display = describeCommand(spec.command);

  if (/\.(cmd|bat)$/i.test(spec.command.trim())) {
    // Node refuses to spawn batch files without a shell (CVE-2024-27980), and a shell would re-parse our arguments.
    return err(
      appError('subprocess-failed', `Cannot run ${display}: batch files (.cmd/.bat) need a shell, and the engine never runs commands through one.`, {
        remediation: 'Point at the program itself (for Python, the python.exe inside the virtualenv\u2019s Scripts folder), not at a .cmd/.bat wrapper.',
      }),
    );
  }
  if (!isDirectory(spec.cwd)) {
    // Checked first because spawn reports a missing cwd as ENOENT of the command, which would blame the wrong thing.
    return err(
      appError('subprocess-failed', `Cannot run ${display}: the working folder ${spec.cwd} does not exist.`, {
        remediation: 'Check the repository folder you chose.',
        action: 'choose-repository',
      }),
    );
  }

  const base: ProcessResult = {
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    log: [],
    stdoutTail: [],
    stderrTail: [],
    durationMs: 0,
    pid: undefined,
  };
  if (spec.signal?.aborted) return ok({ ...base, cancelled: true });

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, PYTHON_ENV);

  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env,
      shell: false,
      stdio: [spec.watchParent ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so killing -pid reaches the grandchildren too.
      detached: process.platform !== 'win32',
    });
  } catch (error) {
    return err(startError(display, error));
  }

  return new Promise<Result<ProcessResult>>((resolve) => {
    const result: ProcessResult = { ...base, pid: child.pid };
    const pid = child.pid;
    if (pid !== undefined && process.platform !== 'win32') liveGroups.add(pid);
    let settled = false;
    let exited = false;
    let closed = false;
    let killing: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stdioTimer: NodeJS.Timeout | undefined;

    const push = (line: string, stream: 'stdout' | 'stderr'): void => {
      result.log.push(line);
      const tail = stream === 'stdout' ? result.stdoutTail : result.stderrTail;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      try {
        spec.onLine?.(line, stream);
      } catch {
        // A faulty listener must not take the run (and its cleanup) down with it.
      }
    };
    const stdout = createLineDecoder((line) => push(line, 'stdout'));
    const stderr = createLineDecoder((line) => push(line, 'stderr'));
    // The child may be gone before we close our end: a broken pipe is expected, not an error.
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));

    const killTree = (): Promise<void> => {
      if (!killing) killing = pid === undefined ? Promise.resolve() : killProcessTree(pid);
      return killing;
    };
    const onAbort = (): void => {
      if (exited) return;
      result.cancelled = true;
      void killTree();
    };

    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      if (stdioTimer) clearTimeout(stdioTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      child.stdin?.destroy();
    };

    const finish = async (): Promise<void> => {
      if (settled) return;
      settled = true;
      cleanup();
      // A descendant left in the child's process group (a server a test started and forgot) is ended
      // with it: nothing the run started outlives it. Windows cannot find orphans once their parent is gone.
      if (!killing && pid !== undefined && process.platform !== 'win32' && groupHasLiveMember(pid)) void killTree();
      // Resolve only once the whole tree is gone, not just the direct child.
      if (killing) await killing;
      if (pid !== undefined) liveGroups.delete(pid);
      stdout.end();
      stderr.end();
      result.durationMs = Date.now() - started;
      resolve(ok(result));
    };

    child.once('error', (error) => {
      // 'error' without a pid: the program could not be started at all.
      if (pid === undefined && !settled) {
        settled = true;
        cleanup();
        resolve(err(startError(display, error)));
      }
    });
    child.once('exit', (code, signal) => {
      exited = true;
      result.exitCode = code;
      result.signal = signal;
      if (closed) return;
      stdioTimer = setTimeout(() => {
        // A descendant still holds our pipes: stop reading (finish ends it on POSIX).
        child.stdout?.destroy();
        child.stderr?.destroy();
        void finish();
      }, STDIO_CLOSE_GRACE_MS);
    });
    child.once('close', (code, signal) => {
      closed = true;
      if (!exited) {
        exited = true;
        result.exitCode = code;
        result.signal = signal;
      }
      if (pid !== undefined) void finish();
    });

    if (pid === undefined) return; // 'error' follows
    if (spec.timeoutMs !== undefined && spec.timeoutMs > 0) {
      timer = setTimeout(() => {
        if (exited) return;
        result.timedOut = true;
        void killTree();
      }, spec.timeoutMs);
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Ends a process and everything it started. Resolves once they are gone (or, on
 * POSIX, once SIGKILL had a moment to work); never rejects.
 */
export async function killProcessTree(pid: number, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (platform === 'win32') {
    await taskkill(pid);
    return;
  }
  // runProcess spawns detached, so the pid is also the process group id.
  if (!signalGroup(pid, 'SIGTERM')) {
    // Not a group leader (a pid from elsewhere): end at least the process itself.
    if (!signalProcess(pid, 'SIGTERM')) return;
    if (await waitUntil(() => !signalProcess(pid, 0), KILL_GRACE_MS)) return;
    signalProcess(pid, 'SIGKILL');
    return;
  }
  if (await waitUntil(() => !groupHasLiveMember(pid), KILL_GRACE_MS)) return;
  if (!signalGroup(pid, 'SIGKILL')) return;
  await waitUntil(() => !groupHasLiveMember(pid), KILL_CONFIRM_MS);
}

function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // EPERM: a member we may not signal (it changed user); treat the group as out of our hands.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH' && (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** Polls until the condition holds or the time is up; returns the last answer. */
async function waitUntil(condition: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return condition();
}

/**
 * Whether any member of the group still runs. A killed grandchild is re-parented
 * to PID 1 and stays a zombie until PID 1 reaps it, which in a container without
 * a proper init takes seconds or forever; a zombie runs nothing, so on Linux it
 * does not count (elsewhere we cannot tell and trust kill(-pgid, 0)).
 */
function groupHasLiveMember(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function taskkill(pid: number): Promise<void> {
  // The full path, so a taskkill.exe planted in the repo or on PATH is never the one that runs.
  const systemRoot = process.env.SystemRoot ?? process.env.SYSTEMROOT;
  const command = systemRoot ? path.win32.join(systemRoot, 'System32', 'taskkill.exe') : 'taskkill.exe';
  return new Promise((resolve) => {
    try {
      const killer = spawn(command, ['/PID', String(pid), '/T', '/F'], { shell: false, windowsHide: true, stdio: 'ignore' });
      // Exit code 128 ("not found") means it had already ended: nothing to report either way.
      killer.once('error', () => resolve());
      killer.once('exit', () => resolve());
    } catch {
      resolve();
    }
  });
}

function describeCommand(command: string): string {
  return `"${command}"`;
}

function startError(display: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') {
    return appError('subprocess-failed', `Cannot run ${display}: the program was not found.`, {
      detail,
      remediation: `Install it, or give its full path (check that ${display} is spelled right and is on PATH).`,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return appError('subprocess-failed', `Cannot run ${display}: permission denied.`, {
      detail,
      remediation: `Make sure ${display} is an executable program you are allowed to run (on Linux/macOS: chmod +x).`,
    });
  }
  return appError('subprocess-failed', `Cannot run ${display}: ${detail}`, {
    detail,
    remediation: `Check that ${display} is a program that can run on this machine.`,
  });
}
