import type { GateId } from '../../../shared/report/gates';
import { runPipeline } from '../../engine/pipeline/run-pipeline';
import { requireConnection, requireProfile } from '../cli-context';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * Every command that runs gates: diagnose (E1), bootstrap (E1–E3), migrate (E1, R4),
 * verify (E1, VERIFY), validate (E1, R5) and rebuild (all). One pipeline for all.
 */
const GATES_OF: Record<string, GateId[]> = {
  diagnose: ['E1'],
  bootstrap: ['E1', 'E2', 'E3'],
  migrate: ['E1', 'R4'],
  verify: ['E1', 'VERIFY'],
  validate: ['E1', 'R5'],
  rebuild: ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'],
};

export async function runGatesCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const profile = requireProfile(options);
  const connection = await requireConnection(options, io.log);
  const controller = new AbortController();
  const onSignal = () => {
    io.log('cancelling: ending the running process tree …');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  try {
    let confirmed = options.yes;
    if (options.dropExisting && !confirmed) {
      confirmed = await confirm(`Drop database "${profile.database.name}" on ${connection.settings.host}:${connection.settings.port}? A snapshot is kept if it holds data.`);
    }
    const report = await runPipeline(
      {
        command: options.command,
        gates: GATES_OF[options.command],
        settings: connection.settings,
        profile,
        repoDir: options.repo,
        pythonFlag: options.python,
        bootstrap: { dropExisting: options.dropExisting, confirmed, confirmedUnmarked: options.dropUnmarked, allowRemote: options.allowRemote },
        target: options.target,
        fromGraph: options.fromGraph,
        skipValidation: options.skipValidation,
        allowRemoteTests: options.allowRemoteTests,
        cache: { enabled: !options.noCache },
        signal: controller.signal,
      },
      io.emit,
    );
    return { report };
  } finally {
    process.off('SIGINT', onSignal);
    await connection.embedded?.stop();
  }
}
