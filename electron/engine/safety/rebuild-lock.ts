import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { processAlive } from '../platform/process-alive';
import { readJsonFile } from '../platform/fs-probe';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { runName } from '../../../shared/contract/jobs';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import { openClient } from '../db/connect';
import { sqlText } from '../db/sql-files';

/** Who holds the lock, as the lock file records it. */
export interface RebuildLockOwner {
  pid: number;
  /** ISO time the run started. */
  startedAt: string;
  /** The command ("rebuild", "bootstrap", "fix FM2" …), for a human reading the file. */
  command: string;
}

export interface RebuildLockRequest {
  settings: ConnectionSettings;
  database: string;
  /** Folder for lock files (default: defaultLockDir()). */
  lockDir?: string;
  owner: RebuildLockOwner;
}

export interface RebuildLock {
  /** The lock file this run holds; null when the lock folder cannot be written (the server-side lock still holds). */
  file: string | null;
  /** The advisory lock key (bigint, as a decimal string). */
  key: string;
  /**
   * The session holding the advisory lock, on the `postgres` database as the superuser. It
   * may run other statements meanwhile, but never DISCARD or pg_advisory_unlock_all (they
   * would release the lock) and never be closed by anyone but release().
   */
  session: Client;
  /** Releases both layers; safe to call more than once; never throws. */
  release(): Promise<void>;
}

interface LockFileContent extends RebuildLockOwner {
  hostname: string;
}

/** Where lock files live unless the caller says otherwise: one folder per machine, like the server's own socket folder. */
export function defaultLockDir(): string {
  return path.join(os.tmpdir(), 'skeldir-rebuild-locks');
}

/** Name of the session holding the advisory lock; the owner's pid follows the prefix. */
const SESSION_NAME_PREFIX = 'skeldir-rebuild-lock pid ';

/** The advisory lock key: 64 bits of sha256("skeldir-rebuild:" + database), as a signed bigint. */
export function advisoryLockKey(database: string): string {
  const digest = crypto.createHash('sha256').update(`skeldir-rebuild:${database}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export function lockFilePath(lockDir: string, settings: ConnectionSettings, database: string): string {
  // Host may be "::1" or a Unix socket folder: keep file names portable (Windows forbids ":" and "/").
  const safe = (part: string) => part.replace(/[^A-Za-z0-9._$-]/g, '_');
  return path.join(lockDir, `rebuild-${safe(settings.host)}-${settings.port}-${safe(database)}.lock`);
}

/** "2026-11-25 14:03:12" in local time: what the user's clock showed when the other run started. */
export function formatSince(when: string | Date): string {
  const date = typeof when === 'string' ? new Date(when) : when;
  if (Number.isNaN(date.getTime())) return String(when);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function lockedError(
  holder: { pid: number | null; since: string | Date | null; host?: string; command?: string },
  detail: string,
  file?: string,
): AppError {
  const pid = holder.pid === null ? 'pid unknown' : `pid ${holder.pid}`;
  const since = holder.since === null ? '' : `, since ${formatSince(holder.since)}`;
  const where = holder.host ? ` on ${holder.host}` : '';
  return appError('rebuild-locked', `${runName(holder.command)} is already running${where} (${pid}${since}).`, {
    detail,
    remediation: file
      ? `Wait for it to finish, or cancel it. If it is not running any more, delete ${file} and try again.`
      : 'Wait for it to finish, or cancel it (the server releases its lock as soon as that run ends).',
  });
}

/**
 * One rebuild per server and database at a time: two CLI processes, a double click in
 * two app windows, or two machines on one server. Two layers, both taken before
 * anything changes:
 *
 * 1. A lock file `<lockDir>/rebuild-<host>-<port>-<database>.lock` created with O_EXCL,
 *    holding the owner's pid and start time: it lets a refused run say who holds the
 *    lock ("pid 1234, since 14:03:12"), and a file whose pid is dead (a crashed run) is
 *    taken over.
 * 2. A session-level advisory lock on the server, held on a dedicated connection to the
 *    `postgres` database for the whole run. It is the real arbiter: it also serialises
 *    runs on different machines or with different lock folders, and the server drops it
 *    by itself when the owner's session ends (crash, kill -9, power loss).
 */
export async function acquireRebuildLock(request: RebuildLockRequest): Promise<Result<RebuildLock>> {
  const lockDir = request.lockDir ?? defaultLockDir();
  const file = lockFilePath(lockDir, request.settings, request.database);
  const content: LockFileContent = { ...request.owner, hostname: os.hostname() };

  const fileLock = takeLockFile(lockDir, file, content);
  if (!fileLock.ok) return fileLock;
  sweepStaleLockFiles(lockDir, file);
  const haveFile = fileLock.value === 'taken';
  const releaseFile = () => {
    if (haveFile) removeOwnLockFile(file, content);
  };

  const key = advisoryLockKey(request.database);
  // The session is named after the owner's pid, so a refused second run can say which
  // process holds the lock even when it runs on another machine.
  const opened = await openClient(request.settings, { database: 'postgres', applicationName: `${SESSION_NAME_PREFIX}${request.owner.pid}`.slice(0, 63) });
  if (!opened.ok) {
    releaseFile();
    return opened;
  }
  const client = opened.value;
  try {
    const locked = (await client.query<{ locked: boolean }>(sqlText('safety/try-advisory-lock'), [key])).rows[0]?.locked === true;
    if (!locked) {
      const refusal = await describeHolder(client, key, request);
      await client.end().catch(() => undefined);
      releaseFile();
      return err(refusal);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    releaseFile();
    return err(
      appError('internal', 'Could not take the server-side rebuild lock.', {
        detail: error instanceof Error ? error.message : String(error),
        remediation: 'Check that the server is still running, then try again.',
      }),
    );
  }

  let released = false;
  return ok({
    file: haveFile ? file : null,
    key,
    session: client,
    async release() {
      if (released) return;
      released = true;
      // Unlock explicitly (the session may be pooled one day); ending the session would release it anyway.
      await client.query(sqlText('safety/advisory-unlock'), [key]).catch(() => undefined);
      // Unlocked: the next run may start now; the session's goodbye need not delay the report.
      void client.end().catch(() => undefined);
      releaseFile();
    },
  });
}

/**
 * Creates the lock file, taking over one left by a dead process; refuses when its owner lives.
 * 'unavailable': the folder cannot be written (another OS user's /tmp folder, a read-only or full
 * disk). The file only makes the refusal friendlier; the server-side lock still serialises runs,
 * so a run is not blocked by a file it cannot write.
 */
function takeLockFile(lockDir: string, file: string, content: LockFileContent): Result<'taken' | 'unavailable'> {
  try {
    fs.mkdirSync(lockDir, { recursive: true });
  } catch {
    return ok('unavailable');
  }
  // Two attempts: the second follows the removal of a stale file.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return ok('unavailable');
      const holder = readLockFile(file);
      if (holder === 'gone') continue; // released between our open and our read
      if (holder !== 'unreadable' && holder.hostname !== os.hostname()) {
        // A shared folder seen by another machine: we cannot ask whether its pid lives.
        return err(
          lockedError({ pid: holder.pid, since: holder.startedAt, host: holder.hostname, command: holder.command }, `${holder.command} holds ${file}.`, file),
        );
      }
      if (holder !== 'unreadable' && processAlive(holder.pid)) {
        return err(
          lockedError({ pid: holder.pid, since: holder.startedAt, command: holder.command }, `"${holder.command}" (pid ${holder.pid}) holds ${file}.`, file),
        );
      }
      if (holder === 'unreadable' && ageMs(file) < UNREADABLE_GRACE_MS) {
        // Being written by a run that has just created it.
        return err(lockedError({ pid: null, since: null }, `${file} is being created by another run.`, file));
      }
      // Stale: its owner crashed. The advisory lock below settles any race between two takers.
      try {
        fs.unlinkSync(file);
      } catch (unlinkError) {
        // Another OS user's stale file in a shared folder: leave it, the server-side lock decides.
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') return ok('unavailable');
      }
      continue;
    }
    try {
      fs.writeSync(fd, JSON.stringify(content));
    } catch {
      // A full disk: an empty lock file would read as "being created" to others for a while; remove it.
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      return ok('unavailable');
    }
    fs.closeSync(fd);
    return ok('taken');
  }
  return err(lockedError({ pid: null, since: null }, `Another run took ${file} at the same moment.`, file));
}

/**
 * Lock files of other servers and databases whose run died (a SIGKILL, a power cut) on this
 * machine: each would be taken over when its own server is next used, but a bundled server
 * gets a new port each time, so they would pile up in the folder. Best effort, never fails.
 */
function sweepStaleLockFiles(lockDir: string, own: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(lockDir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(lockDir, name);
    if (!/^rebuild-.*\.lock$/.test(name) || file === own) continue;
    const holder = readLockFile(file);
    if (holder === 'gone' || holder === 'unreadable' || holder.hostname !== os.hostname() || processAlive(holder.pid)) continue;
    fs.rmSync(file, { force: true });
  }
}

/** A file without valid JSON younger than this is still being written by its creator. */
const UNREADABLE_GRACE_MS = 5_000;

function readLockFile(file: string): LockFileContent | 'gone' | 'unreadable' {
  const read = readJsonFile(file);
  if (!read.found) return read.why === 'absent' ? 'gone' : 'unreadable';
  const value = read.value as Partial<LockFileContent> | null;
  if (typeof value?.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return 'unreadable';
  return {
    pid: value.pid,
    startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
    command: typeof value.command === 'string' ? value.command : 'a rebuild',
    hostname: typeof value.hostname === 'string' ? value.hostname : os.hostname(),
  };
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Removes the lock file only if it is still ours: a run that lost a race must not delete the winner's. */
function removeOwnLockFile(file: string, content: LockFileContent): void {
  const current = readLockFile(file);
  if (current === 'gone' || current === 'unreadable') return;
  if (current.pid !== content.pid || current.startedAt !== content.startedAt || current.hostname !== content.hostname) return;
  try {
    fs.unlinkSync(file);
  } catch {
    // Already gone: nothing to release.
  }
}

/**
 * Whether a run other than this process holds the server's lock for `database` now (a drop or a
 * restore closes the database while it holds it): the holder's pid when its session names one.
 */
export async function otherLockHolder(client: Client, database: string): Promise<{ pid: number | null } | null> {
  const row = (await client.query<{ application_name: string }>(sqlText('safety/select-advisory-lock-holder'), [advisoryLockKey(database)])).rows[0];
  if (!row) return null;
  const pid = holderPid(row.application_name);
  return pid === process.pid ? null : { pid };
}

/** The pid of the process that holds the lock, from its session's name (null when it names none). */
function holderPid(applicationName: string): number | null {
  const pid = applicationName.startsWith(SESSION_NAME_PREFIX) ? Number(applicationName.slice(SESSION_NAME_PREFIX.length)) : NaN;
  return Number.isInteger(pid) ? pid : null;
}

async function describeHolder(client: Client, key: string, request: RebuildLockRequest): Promise<AppError> {
  const where = `${request.settings.host}:${request.settings.port}`;
  try {
    const row = (
      await client.query<{ pid: number; application_name: string; backend_start: Date; client_addr: string | null }>(
        sqlText('safety/select-advisory-lock-holder'),
        [key],
      )
    ).rows[0];
    if (row) {
      const from = row.client_addr ? ` from ${row.client_addr}` : '';
      return lockedError(
        { pid: holderPid(row.application_name), since: row.backend_start },
        `Another run holds the server's lock for "${request.database}" on ${where} (server session ${row.pid}${from}).`,
      );
    }
  } catch {
    // The holder could not be named; the refusal stands.
  }
  return lockedError({ pid: null, since: null }, `Another run holds the server's lock for "${request.database}" on ${where}.`);
}
