import type { Client } from 'pg';
import { withClient } from './connect';
import type { Sessions } from './run-sessions';
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

/** Other clients' sessions with a transaction open on `database`. */
export async function readOpenTransactions(client: Client, database: string): Promise<OtherSession[]> {
  return (await client.query<SessionRow>(sqlText('sessions/select-open-transactions'), [database])).rows.map(toSession);
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
 * Ends the server sessions a stopped child driver (Alembic, pytest) left behind, by the
 * application_name it was given; returns how many. Their transactions roll back now, and a
 * statement still waiting on a lock never runs after its client is gone.
 */
export async function endDriverSessions(sessions: Sessions, applicationName: string): Promise<number> {
  const result = await withClient(sessions, { database: 'postgres' }, 'ending the stopped process\u2019s sessions', async (client) => {
    return (await client.query(sqlText('sessions/terminate-driver-sessions'), [applicationName])).rowCount ?? 0;
  });
  return result.ok ? result.value : 0;
}
