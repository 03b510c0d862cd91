import type { Client } from 'pg';
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

/** The sessions holding the locks the Alembic driver's sessions (by application_name) wait on. */
export async function readLockHolders(client: Client, applicationName: string): Promise<OtherSession[]> {
  return (await client.query<SessionRow>(sqlText('sessions/select-lock-holders'), [applicationName])).rows.map(toSession);
}

/** Other clients' sessions with a transaction open on `database` (null: on any database of the server). */
export async function readOpenTransactions(client: Client, database: string | null): Promise<OtherSession[]> {
  return (await client.query<SessionRow>(sqlText('sessions/select-open-transactions'), [database])).rows.map(toSession);
}

/**
 * The sentence that names who may hold the lock a statement of ours timed out on: after the
 * timeout the wait is over and the holder cannot be asked for, but a lock lasts as long as its
 * session's transaction, so the sessions with one open are named. Empty when there are none, or
 * when `client` cannot ask (its own transaction aborted).
 */
export async function openTransactionsSentence(client: Client, database: string | null): Promise<string> {
  const open = await readOpenTransactions(client, database).catch(() => []);
  return open.length ? ` Sessions with a transaction open${database ? ` on ${database}` : ''}: ${describeSessions(open)}.` : '';
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
