import type { UserAction } from './user-action';

/**
 * Errors are values. Every failure that reaches a user is an AppError with a code
 * from the catalogue below, a message in the user's words (what happened, why it
 * probably happened) and, where we know one, what to do about it.
 *
 * Deep modules return `Result<T>` instead of throwing; fronts render `message`,
 * `detail` and `remediation` as they are.
 */
export const ERROR_CODES = [
  // connection (mapped from SQLSTATE / Node error codes in one place)
  'connection-refused',
  'connection-auth-failed',
  'connection-unknown-database',
  'connection-starting-up',
  'connection-timeout',
  'connection-unknown-host',
  'connection-not-superuser',
  'connection-lost',
  'connection-failed',
  // input
  'usage',
  'profile-invalid',
  'profile-unreadable',
  'repo-not-found',
  'alembic-ini-missing',
  'alembic-ini-invalid',
  'revision-parse-error',
  'graph-invalid',
  'target-unknown',
  'target-ambiguous',
  'identifier-invalid',
  // safety
  'confirmation-required',
  'remote-host-refused',
  'database-protected',
  'rebuild-locked',
  'snapshot-failed',
  // environment
  'python-not-found',
  'python-too-old',
  'python-packages-missing',
  'embedded-failed',
  'subprocess-failed',
  'timeout',
  'cancelled',
  // database operations
  'sql-failed',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  /** One or two sentences for the user: what happened and why it probably happened. */
  message: string;
  /** Optional evidence: the server's own words, a file and line, a command's last output. */
  detail?: string;
  /** What to do about it, as an instruction ("Start PostgreSQL, then …"), in no front's words. */
  remediation?: string;
  /** The remediation as an action each front names its own way (a CLI flag, a Setup field). */
  action?: UserAction;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}

export function appError(code: ErrorCode, message: string, extra: Omit<AppError, 'code' | 'message'> = {}): AppError {
  return { code, message, ...extra };
}

/** Thrown only across an async boundary where a Result cannot travel; fronts unwrap it. */
export class AppErrorException extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'AppErrorException';
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as AppError).code)
  );
}
