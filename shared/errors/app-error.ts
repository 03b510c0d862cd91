import type { UserAction } from './user-action';

/**
 * Whose doing a failure is. 'input': what the user gave was wrong (flags, profile, repository,
 * target, a confirmation not given, an interpreter not found), so the CLI exits 2. 'run': the run
 * itself failed (the server, a lock, a copy, a child process), so the CLI exits 1.
 */
export type ErrorCause = 'input' | 'run';

/** Every error code, with its cause; the comments group the codes by where they arise. */
const ERROR_CATALOGUE = {
  // connection (mapped from SQLSTATE / Node error codes in one place)
  'connection-refused': 'run',
  'connection-auth-failed': 'run',
  'connection-unknown-database': 'run',
  'connection-starting-up': 'run',
  'connection-timeout': 'run',
  'connection-unknown-host': 'run',
  'connection-not-superuser': 'run',
  'connection-lost': 'run',
  'connection-failed': 'run',
  // input
  usage: 'input',
  'profile-invalid': 'input',
  'profile-unreadable': 'input',
  'repo-not-found': 'input',
  'alembic-ini-missing': 'input',
  'alembic-ini-invalid': 'input',
  'revision-parse-error': 'input',
  'graph-invalid': 'input',
  'target-unknown': 'input',
  'target-ambiguous': 'input',
  'identifier-invalid': 'input',
  // safety
  'confirmation-required': 'input',
  'remote-host-refused': 'input',
  'database-protected': 'input',
  'rebuild-locked': 'run',
  'snapshot-failed': 'run',
  // environment
  'python-not-found': 'input',
  'python-too-old': 'input',
  'python-packages-missing': 'run',
  'embedded-failed': 'run',
  'subprocess-failed': 'run',
  timeout: 'run',
  cancelled: 'run',
  // database operations
  'sql-failed': 'run',
  'lock-timeout': 'run',
  internal: 'run',
} as const satisfies Record<string, ErrorCause>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes as a non-empty list, the shape zod's enum takes. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

export function errorCause(code: ErrorCode): ErrorCause {
  return ERROR_CATALOGUE[code];
}

/**
 * Errors are values. Every failure that reaches a user is an AppError with a code
 * from the catalogue above, a message in the user's words (what happened, why it
 * probably happened) and, where we know one, what to do about it.
 *
 * Deep modules return `Result<T>` instead of throwing; fronts render `message`,
 * `detail` and `remediation` as they are.
 */
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
  /** What the action applies to, when a front's words need it: the snapshot to restore. */
  actionTarget?: string;
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

/** What happened and what to do, as one line: a step's detail, a log line, a tooltip. */
export function messageWithRemedy(error: Pick<AppError, 'message' | 'remediation'>): string {
  return error.remediation ? `${error.message} ${error.remediation}` : error.message;
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
