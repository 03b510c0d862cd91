import type { RunReport } from '../../../shared/report/report';
import { runPipeline } from '../../engine/pipeline/run-pipeline';
import { requireConnection, requireProfile } from '../cli-context';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import type { CommandOutput, CommandIo } from './command-io';

/** `diagnose` (E1) and `bootstrap` (E1 → E2 → E3). */
export async function runDiagnoseOrBootstrap(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const profile = requireProfile(options);
  const connection = await requireConnection(options, io.log);
  try {
    let confirmed = options.yes;
    if (options.dropExisting && !confirmed) {
      confirmed = await confirm(`Drop database "${profile.database.name}" on ${connection.settings.host}:${connection.settings.port}? Its data will be lost.`);
    }
    const report: RunReport = await runPipeline(
      {
        command: options.command,
        gates: options.command === 'diagnose' ? ['E1'] : ['E1', 'E2', 'E3'],
        settings: connection.settings,
        profile,
        bootstrap: { dropExisting: options.dropExisting, confirmed, allowRemote: options.allowRemote },
      },
      io.emit,
    );
    return { report };
  } finally {
    await connection.embedded?.stop();
  }
}
