import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The Python interpreter the tests hand to Alembic and pytest.
 *
 * - `SKELDIR_PYTHON` set: that interpreter, verified, never modified.
 * - otherwise: the virtualenv `<repo root>/.venv-test`, created and filled from
 *   test/support/python-requirements.txt on first use. Several test processes may
 *   ask at once: one of them takes a lock directory and installs, the others wait.
 *
 * Progress goes to stderr only.
 */

/** Modules the fixtures and tools import; checked in this order. */
export const REQUIRED_PYTHON_MODULES = ['alembic', 'sqlalchemy', 'psycopg2', 'pytest', 'pytest_asyncio'] as const;

/** pip distribution that provides each module, for error messages. */
const DISTRIBUTION_OF: Record<string, string> = {
  alembic: 'alembic',
  sqlalchemy: 'SQLAlchemy',
  psycopg2: 'psycopg2-binary',
  pytest: 'pytest',
  pytest_asyncio: 'pytest-asyncio',
};

const LOCK_WAIT_MS = 15 * 60_000;
const LOCK_POLL_MS = 500;
/** A lock without an owner file this old was left by a process that died while taking it. */
const LOCK_OWNERLESS_STALE_MS = 60_000;
/** Beyond this a lock is stale whoever holds it: no install takes that long. */
const LOCK_MAX_AGE_MS = 30 * 60_000;
const PROBE_TIMEOUT_MS = 60_000;
const MARKER_NAME = '.skeldir-requirements.sha256';

function findRepoRoot(): string {
  // Two folders up from test/support when run from source; when compiled into
  // dist/test/support the repo is one more level up. Look for the requirements file.
  let dir = __dirname;
  for (let i = 0; i < 5; i += 1) {
    const candidate = path.resolve(dir, '..', '..');
    if (fs.existsSync(path.join(candidate, 'test', 'support', 'python-requirements.txt'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..');
}

export const REPO_ROOT = findRepoRoot();
export const REQUIREMENTS_FILE = path.join(REPO_ROOT, 'test', 'support', 'python-requirements.txt');
export const TEST_VENV_DIR = path.join(REPO_ROOT, '.venv-test');
const LOCK_DIR = `${TEST_VENV_DIR}.lock`;

/** The interpreter inside a virtualenv folder. */
export function venvPythonPath(venvDir: string = TEST_VENV_DIR, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? path.win32.join(venvDir, 'Scripts', 'python.exe') : path.posix.join(venvDir, 'bin', 'python');
}

function log(message: string): void {
  process.stderr.write(`[python-env] ${message}\n`);
}

// ---------------------------------------------------------------------------
// Probing an interpreter
// ---------------------------------------------------------------------------

type Probe =
  { ok: true; executable: string } | { ok: false; reason: 'not-runnable'; detail: string } | { ok: false; reason: 'import'; module: string; detail: string };

const PROBE_SCRIPT = [
  'import importlib, sys',
  'for name in sys.argv[1:]:',
  '    try:',
  '        importlib.import_module(name)',
  '    except Exception as exc:',
  '        detail = (type(exc).__name__ + ": " + str(exc)).replace("\\n", " ")',
  '        print("IMPORT-FAILED\\t" + name + "\\t" + detail)',
  '        sys.exit(3)',
  'print("IMPORT-OK\\t" + sys.executable)',
].join('\n');

const probeCache = new Map<string, Probe>();

function probe(python: string): Probe {
  const cached = probeCache.get(python);
  if (cached) return cached;
  const result = spawnSync(python, ['-c', PROBE_SCRIPT, ...REQUIRED_PYTHON_MODULES], {
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
    windowsHide: true,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  let outcome: Probe;
  if (result.error) {
    outcome = { ok: false, reason: 'not-runnable', detail: result.error.message };
  } else {
    const lines = (result.stdout ?? '').split(/\r?\n/);
    const ok = lines.find((line) => line.startsWith('IMPORT-OK\t'));
    const failed = lines.find((line) => line.startsWith('IMPORT-FAILED\t'));
    if (result.status === 0 && ok) {
      outcome = { ok: true, executable: ok.slice('IMPORT-OK\t'.length).trim() || python };
    } else if (failed) {
      const [, module = '?', detail = ''] = failed.split('\t');
      outcome = { ok: false, reason: 'import', module, detail };
    } else {
      const stderr = (result.stderr ?? '').trim().split(/\r?\n/).slice(-3).join(' | ');
      outcome = { ok: false, reason: 'not-runnable', detail: `exit ${result.status ?? result.signal}: ${stderr}` };
    }
  }
  // Only success is stable; a failure may be fixed by an install in this process.
  if (outcome.ok) probeCache.set(python, outcome);
  return outcome;
}

function pipFixCommand(python: string, module?: string): string {
  const quoted = /\s/.test(python) ? `"${python}"` : python;
  const all = `${quoted} -m pip install --retries 0 -r "${REQUIREMENTS_FILE}"`;
  if (!module || !DISTRIBUTION_OF[module]) return all;
  return `${all}   (or just: ${quoted} -m pip install --retries 0 ${DISTRIBUTION_OF[module]})`;
}

function explainedSkeldirPythonError(python: string, result: Exclude<Probe, { ok: true }>): Error {
  if (result.reason === 'import') {
    return new Error(
      `SKELDIR_PYTHON=${python} cannot import ${result.module} (${result.detail}).\n` +
        `Fix: ${pipFixCommand(python, result.module)}\n` +
        'or unset SKELDIR_PYTHON to let the tests create .venv-test themselves.',
    );
  }
  return new Error(
    `SKELDIR_PYTHON=${python} cannot be run (${result.detail}).\n` +
      'Point SKELDIR_PYTHON at a Python 3 interpreter, or unset it to let the tests create .venv-test themselves.',
  );
}

// ---------------------------------------------------------------------------
// The virtualenv
// ---------------------------------------------------------------------------

function requirementsHash(): string {
  return crypto.createHash('sha256').update(fs.readFileSync(REQUIREMENTS_FILE)).digest('hex');
}

type VenvState = 'ready' | 'stale-requirements' | 'incomplete' | 'missing' | 'broken';

function inspectVenv(): VenvState {
  const python = venvPythonPath();
  if (!fs.existsSync(python)) return 'missing';
  const result = probe(python);
  if (!result.ok) return result.reason === 'not-runnable' ? 'broken' : 'incomplete';
  // A venv made by hand (or by .ci/run) has no marker: it imports everything, use it.
  const markerFile = path.join(TEST_VENV_DIR, MARKER_NAME);
  if (!fs.existsSync(markerFile)) return 'ready';
  return fs.readFileSync(markerFile, 'utf8').trim() === requirementsHash() ? 'ready' : 'stale-requirements';
}

function baseInterpreters(): Array<{ command: string; args: string[] }> {
  const fromEnv = process.env.SKELDIR_BASE_PYTHON;
  if (fromEnv) return [{ command: fromEnv, args: [] }];
  return process.platform === 'win32'
    ? [
        { command: 'py', args: ['-3'] },
        { command: 'python', args: [] },
        { command: 'python3', args: [] },
      ]
    : [
        { command: 'python3', args: [] },
        { command: 'python', args: [] },
      ];
}

/** Runs a command, copying its stdout and stderr to our stderr with a prefix. */
function runLogged(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    log(`$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const tail: string[] = [];
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (!line.trim()) continue;
        process.stderr.write(`[python-env]   ${line}\n`);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`));
    });
  });
}

async function createVenv(clear: boolean): Promise<void> {
  const failures: string[] = [];
  for (const base of baseInterpreters()) {
    try {
      await runLogged(base.command, [...base.args, '-m', 'venv', ...(clear ? ['--clear'] : []), TEST_VENV_DIR]);
      if (fs.existsSync(venvPythonPath())) return;
      failures.push(`${base.command}: no interpreter at ${venvPythonPath()} afterwards`);
    } catch (error) {
      failures.push(`${base.command}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `Could not create ${TEST_VENV_DIR}:\n  ${failures.join('\n  ')}\nSet SKELDIR_PYTHON to an interpreter that has the requirements of ${REQUIREMENTS_FILE}.`,
  );
}

async function installVenv(state: VenvState): Promise<string> {
  const python = venvPythonPath();
  const started = Date.now();
  if (state === 'missing' || state === 'broken') {
    log(`${state === 'missing' ? 'creating' : 'recreating broken'} ${TEST_VENV_DIR}`);
    await createVenv(state === 'broken');
  }
  log(`installing ${path.relative(REPO_ROOT, REQUIREMENTS_FILE)} into ${TEST_VENV_DIR}`);
  await runLogged(python, ['-m', 'pip', 'install', '--retries', '0', '--disable-pip-version-check', '-r', REQUIREMENTS_FILE]);
  probeCache.delete(python);
  const result = probe(python);
  if (!result.ok) {
    const what = result.reason === 'import' ? `cannot import ${result.module} (${result.detail})` : `cannot be run (${result.detail})`;
    throw new Error(`${python} ${what} even after pip install.\nTry: ${pipFixCommand(python, result.reason === 'import' ? result.module : undefined)}`);
  }
  // Written last: its presence (with the current hash) means the install finished.
  const marker = path.join(TEST_VENV_DIR, MARKER_NAME);
  fs.writeFileSync(`${marker}.tmp-${process.pid}`, `${requirementsHash()}\n`);
  fs.renameSync(`${marker}.tmp-${process.pid}`, marker);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${python}`);
  return python;
}

// ---------------------------------------------------------------------------
// The lock
// ---------------------------------------------------------------------------

interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

function tryAcquireLock(): boolean {
  try {
    fs.mkdirSync(LOCK_DIR);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: Date.now() };
  fs.writeFileSync(path.join(LOCK_DIR, 'owner.json'), JSON.stringify(owner));
  return true;
}

function releaseLock(): void {
  fs.rmSync(LOCK_DIR, { recursive: true, force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockIsStale(): boolean {
  let ageMs: number;
  try {
    ageMs = Date.now() - fs.statSync(LOCK_DIR).mtimeMs;
  } catch {
    return false; // gone already: the next mkdir will tell
  }
  if (ageMs > LOCK_MAX_AGE_MS) return true;
  let owner: LockOwner;
  try {
    owner = JSON.parse(fs.readFileSync(path.join(LOCK_DIR, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return ageMs > LOCK_OWNERLESS_STALE_MS;
  }
  return owner.host === os.hostname() && owner.pid !== process.pid && !processAlive(owner.pid);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let inFlight: Promise<string> | undefined;

async function ensureVenv(): Promise<string> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announcedWait = false;
  for (;;) {
    const state = inspectVenv();
    if (state === 'ready') return venvPythonPath();

    if (tryAcquireLock()) {
      try {
        // Someone may have finished between our look and our lock.
        const current = inspectVenv();
        return current === 'ready' ? venvPythonPath() : await installVenv(current);
      } finally {
        releaseLock();
      }
    }

    if (lockIsStale()) {
      log(`removing stale lock ${LOCK_DIR}`);
      releaseLock();
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${LOCK_WAIT_MS / 60_000} min waiting for ${LOCK_DIR} (another process is installing ${TEST_VENV_DIR}). Remove the folder if no such process exists.`,
      );
    }
    if (!announcedWait) {
      log(`another process is preparing ${TEST_VENV_DIR}; waiting`);
      announcedWait = true;
    }
    await sleep(LOCK_POLL_MS);
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Absolute path of a Python interpreter that imports alembic, sqlalchemy, psycopg2,
 * pytest and pytest_asyncio. Installs into .venv-test if needed (unless SKELDIR_PYTHON
 * is set, which is verified and used as is). Throws an Error that says what to do.
 */
export async function ensureTestPython(): Promise<string> {
  const configured = process.env.SKELDIR_PYTHON?.trim();
  if (configured) {
    const result = probe(configured);
    if (!result.ok) throw explainedSkeldirPythonError(configured, result);
    return path.isAbsolute(result.executable) ? result.executable : path.resolve(configured);
  }
  if (!inFlight) {
    inFlight = ensureVenv().finally(() => {
      inFlight = undefined;
    });
  }
  return inFlight;
}

/** The interpreter if it is already usable, else undefined. Never installs anything. */
export function testPythonSync(): string | undefined {
  const configured = process.env.SKELDIR_PYTHON?.trim();
  if (configured) {
    const result = probe(configured);
    if (!result.ok) return undefined;
    return path.isAbsolute(result.executable) ? result.executable : path.resolve(configured);
  }
  const python = venvPythonPath();
  if (!fs.existsSync(python)) return undefined;
  return probe(python).ok ? python : undefined;
}
