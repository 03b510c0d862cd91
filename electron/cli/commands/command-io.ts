import type { EmitEvent } from '../../../shared/contract/events';
import type { RunReport } from '../../../shared/report/report';

/** What the CLI hands each command: where progress goes. */
export interface CommandIo {
  emit: EmitEvent;
  /** A line of human progress (stderr). */
  log: (line: string) => void;
}

/**
 * A command either produces a report (its gates decide the exit code, unless the command
 * knows better: a fix whose finding is still there) or a plain JSON value with its own exit code.
 */
export type CommandOutput = { report: RunReport; exitCode?: 0 | 1 } | { json: unknown; text: string; exitCode: 0 | 1 };
