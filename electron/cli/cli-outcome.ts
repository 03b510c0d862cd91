import { errorCause, type AppError, type Result } from '../../shared/errors/app-error';
import type { RunReport } from '../../shared/report/report';

/**
 * How a command ends: a usage or run failure with its exit code, or a report whose gates
 * decide it. Apart from cli-context so that light commands (graph) need no connection code.
 */
export class CliFailure extends Error {
  constructor(
    readonly appError: AppError,
    readonly exitCode: 1 | 2,
  ) {
    super(appError.message);
  }
}

/** 0 when every requested gate passed, 1 otherwise. */
export function exitCodeFor(report: RunReport): 0 | 1 {
  if (report.error) return 1;
  return report.gates.every((gate) => gate.status === 'passed' || gate.status === 'skipped') ? 0 : 1;
}

/** The exit code of an error a handler returned: 2 when the input was wrong, 1 when the run itself failed (the catalogue says which). */
export function exitCodeForError(error: AppError): 1 | 2 {
  return errorCause(error.code) === 'input' ? 2 : 1;
}

/** A handler's value, or the CLI's failure with the exit code its error calls for. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CliFailure(result.error, exitCodeForError(result.error));
  return result.value;
}
