import { appError } from '../../shared/errors/app-error';
import { CliFailure, exitCodeFor } from './cli-outcome';
import type { CommandIo, CommandOutput } from './commands/command-io';
import type { CliOptions } from './parse-args';
import { createTerminalPrinter, formatError } from './terminal-printer';
import { createLiveProgress, wantsLiveProgress } from './progress-line';

/** What the front (cli.ts) does with a command's outcome: print it and exit with its code. */
export type CommandResult =
  | { kind: 'report'; json: unknown; errorText: string | null; exitCode: number }
  | { kind: 'output'; json: unknown; text: string; exitCode: number }
  | { kind: 'failure'; failure: CliFailure };

/**
 * Runs one command with progress on the terminal (live line or plain lines) and turns
 * its outcome into what the front prints. Shared by the command bundles.
 */
export async function runWithTerminal(
  options: CliOptions,
  runner: ((options: CliOptions, io: CommandIo) => Promise<CommandOutput>) | undefined,
): Promise<CommandResult> {
  if (!runner) return { kind: 'failure', failure: new CliFailure(appError('usage', `The command "${options.command}" is not available in this build.`), 2) };
  const live = wantsLiveProgress(process.stderr, options.progress) ? createLiveProgress(process.stderr) : null;
  const printer = createTerminalPrinter(undefined, live);
  const io: CommandIo = {
    emit: printer,
    log: (line) => {
      live?.clear();
      process.stderr.write(`${line}\n`);
    },
  };
  try {
    const output = await runner(options, io);
    live?.stop();
    if ('report' in output) {
      return {
        kind: 'report',
        json: output.report,
        errorText: output.report.error ? formatError(output.report.error) : null,
        exitCode: output.exitCode ?? exitCodeFor(output.report),
      };
    }
    return { kind: 'output', json: output.json, text: output.text, exitCode: output.exitCode };
  } catch (error) {
    live?.stop();
    if (error instanceof CliFailure) return { kind: 'failure', failure: error };
    return {
      kind: 'failure',
      failure: new CliFailure(
        appError('internal', 'Skeldir Rebuild hit an unexpected error.', { detail: error instanceof Error ? error.stack : String(error) }),
        1,
      ),
    };
  }
}
