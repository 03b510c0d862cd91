import { appError } from '../../../shared/errors/app-error';
import { CliFailure } from '../cli-outcome';
import { requireSettings, withCliService } from '../cli-service';
import { jobRequestFor } from '../job-request';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import { requirePathFlags } from '../require-path-flags';
import { runJob } from '../run-job';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * Every command that runs gates: diagnose (E1), bootstrap (E1–E3), migrate (E1, R4),
 * verify (E1, VERIFY), validate (E1, R5) and rebuild (all), each the app's job of the
 * same name, started through the same service.
 */
export async function runGatesCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  return withCliService(options, io, async (service) => {
    const settings = await requireSettings(service);
    // Before the drop prompt: a wrong --repo or --python is said, not asked about.
    await requirePathFlags(service, options);
    let confirmed = options.yes;
    if (options.dropExisting && !confirmed) {
      const where = options.embedded ? 'the bundled PostgreSQL' : `${options.host}:${options.port}`;
      confirmed = await confirm(`Drop database "${settings.databaseName}" on ${where}? A snapshot is kept if it holds data.`);
    }
    const request = jobRequestFor(options, { confirmed, databaseName: settings.databaseName });
    if (!request) throw new CliFailure(appError('usage', `"${options.command}" runs no gates.`), 2);
    return { report: await runJob(service, request, io) };
  });
}
