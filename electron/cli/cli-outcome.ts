import type { AppError } from '../../shared/errors/app-error';
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
