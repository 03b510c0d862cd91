import type { Client } from 'pg';
import type { AppError } from '../../../shared/errors/app-error';
import { sqlText } from './sql-files';

/**
 * Other clients' sessions that stand in our way: the holders of a lock the migrations wait
 * on, or the sessions with a transaction open on a database a read of ours could not lock.
 * Named to the user so "close the other session" says which one.
 */
export interface OtherSession {
  pid: number;
  applicationName: string;
  /** pg_stat_activity's state: 'idle in transaction', 'active' … */
  state: string | null;
  /** When its transaction began (the server's clock), or null. */
  transactionStart: string | null;
  /** Its client address, or null for a Unix socket. */
  clientAddress: string | null;
}

interface SessionRow {
  pid: number;
  application_name: string | null;
  state: string | null;
  xact_start: string | null;
  client_addr: string | null;
}

function toSession(row: SessionRow): OtherSession {
  return {
    pid: row.pid,
    applicationName: row.application_name ?? '',
    state: row.state,
    transactionStart: row.xact_start,
    clientAddress: row.client_addr,
  };
}

/** The other clients' sessions holding the locks a child driver's sessions (by application_name) wait on. */
export async function readLockHolders(client: Client, driver: DriverSessions): Promise<OtherSession[]> {
  return (await client.query<SessionRow>(sqlText('sessions/select-lock-holders'), driverParameters(driver))).rows.map(toSession);
}

/**
 * How a child driver's sessions are found: by the application_name it was given through
 * PGAPPNAME, and, for a driver that ignores that variable (asyncpg), also as the sessions on
 * `database` that logged in since it started, other than this tool's own.
 */
export interface DriverSessions {
  applicationName: string;
  alsoUnnamed?: { database: string; since: Date };
}

/** The $1–$3 of the driver-session queries. */
export function driverParameters(driver: DriverSessions): [string, string | null, string | null] {
  return [driver.applicationName, driver.alsoUnnamed?.database ?? null, driver.alsoUnnamed?.since.toISOString() ?? null];
}

/** Other clients' sessions with a transaction open on `database` (null: on any database of the server). */
async function readOpenTransactions(client: Client, database: string | null): Promise<OtherSession[]> {
  return (await client.query<SessionRow>(sqlText('sessions/select-open-transactions'), [database])).rows.map(toSession);
}

/**
 * `error` as it should reach the user: when it is a lock wait that ran out, it also names who
 * may hold the lock. After the timeout the wait is over and the holder cannot be asked for,
 * but a lock lasts as long as its session's transaction, so the sessions with one open (on
 * `database`, or on any when null: the lock may be on a shared catalog) are named. Unchanged
 * when there are none, or when `client` cannot ask (its own transaction aborted).
 */
export async function withLockHoldersNamed(error: AppError, client: Client, database: string | null): Promise<AppError> {
  if (error.code !== 'lock-timeout') return error;
  const open = await readOpenTransactions(client, database).catch(() => []);
  if (open.length === 0) return error;
  return { ...error, message: `${error.message} Sessions with a transaction open${database ? ` on ${database}` : ''}: ${describeSessions(open)}.` };
}

/** 'pid 4242 ("psql", idle in transaction since 2026-12-07 10:31:05+00, from 127.0.0.1)', joined with "; ". */
export function describeSessions(sessions: readonly OtherSession[]): string {
  return sessions
    .map((session) => {
      const parts = [
        session.applicationName ? `"${session.applicationName}"` : 'no application name',
        [session.state, session.transactionStart ? `since ${session.transactionStart.replace(/\.\d+/, '')}` : null].filter(Boolean).join(' '),
        session.clientAddress ? `from ${session.clientAddress}` : null,
      ].filter(Boolean);
      return `pid ${session.pid} (${parts.join(', ')})`;
    })
    .join('; ');
}

/**
 * The line R4 and R5 log the moment a child's session waits on another client's lock: who
 * holds it, how to release it, and what ends the wait otherwise (`otherwise`, e.g. "its time
 * limit (300 s) ends it").
 */
export function lockWaitNotice(holders: readonly OtherSession[], work: string, otherwise: string): string {
  return `waiting for a lock held by another session: ${describeSessions(holders)}. End that session's transaction (commit, roll back or close it) and ${work} goes on; ${otherwise}.`;
}
