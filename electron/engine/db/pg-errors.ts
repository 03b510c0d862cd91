import { appError, type AppError } from '../../../shared/errors/app-error';
import { formatHost } from '../../../shared/contract/connection';
import { LOCK_WAIT_LIMIT_MS } from './session-limits';

/**
 * The one place PostgreSQL and Node network errors become user messages. Chosen by
 * SQLSTATE and Node error code, never by message text (Windows servers localise it).
 */
export interface ConnectTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** The login is the one used as the superuser (not an application role the profile names). */
  asSuperuser: boolean;
}

interface ErrorLike {
  code?: unknown;
  errors?: unknown;
  message?: unknown;
  severity?: unknown;
  routine?: unknown;
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : {};
}

/** Node's happy-eyeballs connect to "localhost" fails with an AggregateError whose own code may be empty. */
export function errorCodes(error: unknown): string[] {
  const e = asErrorLike(error);
  const codes: string[] = [];
  if (typeof e.code === 'string') codes.push(e.code);
  if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...errorCodes(inner));
  return codes;
}

function serverSaid(error: unknown): string | undefined {
  const e = asErrorLike(error);
  if (typeof e.message === 'string' && e.message.length > 0) return e.message;
  if (Array.isArray(e.errors)) {
    const parts = e.errors.map((inner) => serverSaid(inner)).filter((m): m is string => Boolean(m));
    return parts.length ? parts.join('; ') : undefined;
  }
  return undefined;
}

/** SQLSTATE 55P03: a lock wait ran past lock_timeout (see session-limits). */
export const LOCK_NOT_AVAILABLE = '55P03';

export function sqlState(error: unknown): string | undefined {
  const e = asErrorLike(error);
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
}

/** Maps an error from opening a connection. */
export function connectionError(error: unknown, target: ConnectTarget): AppError {
  const where = `${formatHost(target.host)}:${target.port}`;
  const codes = errorCodes(error);
  const detail = serverSaid(error);
  const has = (code: string) => codes.includes(code);

  if (has('ECONNREFUSED')) {
    return appError('connection-refused', `PostgreSQL is not running on ${where} (connection refused).`, {
      detail,
      remediation: 'Start the PostgreSQL service (Windows: Services \u2192 postgresql-x64-15 \u2192 Start), check the port, or use the bundled PostgreSQL 15.',
      action: 'use-bundled-server',
    });
  }
  if (has('28P01') || has('28000')) {
    return appError('connection-auth-failed', `PostgreSQL on ${where} rejected the password for role "${target.user}".`, {
      detail,
      // Which login failed, not how its role is named: an application role given as the superuser gets the superuser's advice.
      ...(target.asSuperuser
        ? {
            remediation: `Enter the superuser password you chose when installing PostgreSQL. If "${target.user}" is not your superuser, name the superuser instead.`,
            action: 'enter-superuser-password' as const,
          }
        : { remediation: `Run bootstrap to reset "${target.user}"'s password to the profile's, or fix the password in the profile.` }),
    });
  }
  if (has('3D000')) {
    return appError('connection-unknown-database', `Database "${target.database}" does not exist on ${where}.`, {
      detail,
      remediation: 'Run bootstrap to create it.',
      action: 'run-bootstrap',
    });
  }
  if (has('57P03')) {
    return appError('connection-starting-up', `PostgreSQL on ${where} is starting up or shutting down and does not accept connections yet.`, {
      detail,
      remediation: 'Wait a few seconds and try again. If it persists, check the server log for a recovery in progress.',
    });
  }
  if (has('ETIMEDOUT') || has('connection-timeout')) {
    return appError('connection-timeout', `No answer from ${where} within the time limit.`, {
      detail,
      remediation: 'Check the host and port, and that no firewall blocks the port.',
    });
  }
  if (has('ENOTFOUND') || has('EAI_AGAIN')) {
    return appError('connection-unknown-host', `The host name "${target.host}" could not be resolved.`, {
      detail,
      remediation: 'Check the spelling of the host; for a local server use 127.0.0.1.',
    });
  }
  if (has('53300')) {
    return appError('connection-failed', `PostgreSQL on ${where} has no free connection slots.`, {
      detail,
      remediation: 'Close other clients (pgAdmin, IDEs) or raise max_connections.',
    });
  }
  if (has('ECONNRESET') || has('57P01') || has('57P02')) {
    return appError('connection-lost', `The connection to ${where} was closed by the server.`, {
      detail,
      remediation: 'Check that the server is still running and try again.',
    });
  }
  return appError('connection-failed', `Could not connect to PostgreSQL on ${where} as "${target.user}".`, {
    detail: detail ?? String(error),
    remediation: 'Check the host, port and credentials.',
  });
}

/** Maps an error from running a statement on an open connection. */
export function statementError(error: unknown, what: string): AppError {
  const codes = errorCodes(error);
  const detail = serverSaid(error);
  if (
    codes.some((code) => ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', '08006', '08003'].includes(code)) ||
    /Connection terminated/i.test(detail ?? '')
  ) {
    return appError('connection-lost', `The connection to PostgreSQL was lost while ${what}.`, {
      detail,
      // Only what is known: a transaction's statement rolls back, but a DROP or CREATE DATABASE cut short may leave a half-made database.
      remediation:
        'Check that the server is still running, then run a diagnosis: it says what state the database was left in (rebuild and restore recover a database an interrupted drop left invalid).',
      action: 'run-diagnosis',
    });
  }
  if (codes.includes(LOCK_NOT_AVAILABLE)) {
    return appError(
      'lock-timeout',
      `Another session held a lock needed for ${what} and did not release it within ${LOCK_WAIT_LIMIT_MS / 1000} s, so the tool stopped waiting.`,
      {
        detail,
        remediation:
          'Finish or close the other session on this database (an open transaction in psql, pgAdmin or an IDE; an alembic upgrade or the backend still running), then run again. pg_stat_activity lists the sessions and their state.',
      },
    );
  }
  if (codes.includes('42501')) {
    return appError('connection-not-superuser', `Permission denied while ${what}.`, {
      detail,
      remediation: 'Connect as a superuser (the "postgres" role) for bootstrap and rebuild.',
    });
  }
  return appError('sql-failed', `PostgreSQL reported an error while ${what}.`, { detail: detail ?? String(error) });
}
