import { runGraphCommand } from './commands/graph';
import type { CliOptions } from './parse-args';
import { runWithTerminal, type CommandResult } from './run-command';

/**
 * The `graph` command's own bundle: it reads files only, so it loads neither pg, zod nor
 * the engine's connection code, and starts in a fraction of the full command bundle's time.
 */
export function runCommand(options: CliOptions): Promise<CommandResult> {
  return runWithTerminal(options, runGraphCommand);
}
