/**
 * The commands themselves: the engine, pg, zod and the rest. The CLI's first file
 * requires this one only when a command runs, so `--help` and `--version` start as
 * fast as Node does.
 */
import { runCompareCommand } from './commands/compare';
import { runFixCommand } from './commands/fix';
import { runReportCommand } from './commands/report';
import { runGatesCommand } from './commands/gates';
import { runPruneCommand, runRestoreCommand, runSnapshotsCommand } from './commands/snapshots';
import { runGraphCommand, runPlanCommand, runPreviewCommand } from './commands/graph-plan';
import type { CommandIo, CommandOutput } from './commands/command-io';
import type { CliOptions, CommandName } from './parse-args';
import { runWithTerminal, type CommandResult } from './run-command';

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

export function runCommand(options: CliOptions): Promise<CommandResult> {
  return runWithTerminal(options, COMMAND_TABLE[options.command]);
}
