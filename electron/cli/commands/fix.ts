import { appError } from '../../../shared/errors/app-error';
import { FINDING_CATALOGUE, REMEDIATION_ACTIONS, type FindingId } from '../../../shared/findings/catalogue';
import { remediationRequest, runRemediation } from '../../engine/remediation/remediation-request';
import { CliFailure, requireProfile, withConnection } from '../cli-context';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import type { CommandIo, CommandOutput } from './command-io';

/** `skeldir-rebuild fix FMn [--yes]`: runs a finding's remediation, asking first when interactive. */
export async function runFixCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const id = options.positionals[0];
  if (!id || !(id in FINDING_CATALOGUE)) {
    const fixable = Object.entries(FINDING_CATALOGUE)
      .filter(([, entry]) => entry.action)
      .map(([key]) => key);
    throw new CliFailure(
      appError('usage', id ? `Unknown finding "${id}".` : 'Name the finding to fix, e.g. "skeldir-rebuild fix FM2".', {
        remediation: `Findings with an automatic fix: ${fixable.join(', ')}.`,
      }),
      2,
    );
  }
  const findingId = id as FindingId;
  const profile = requireProfile(options);
  const action = FINDING_CATALOGUE[findingId].action;
  if (!action) {
    // Said before any connection: there is nothing to run.
    throw new CliFailure(
      appError('usage', `${findingId} has no automatic fix: ${FINDING_CATALOGUE[findingId].title}.`, { remediation: FINDING_CATALOGUE[findingId].explanation }),
      2,
    );
  }
  if (!options.yes) {
    const yes = await confirm(`${findingId}: ${REMEDIATION_ACTIONS[action]} on database "${profile.database.name}"?`);
    if (!yes) {
      throw new CliFailure(
        appError('confirmation-required', `Not fixed: ${findingId} needs your confirmation.`, {
          remediation: 'Answer "y" at the prompt, or pass --yes when not interactive.',
        }),
        2,
      );
    }
  }
  return withConnection(options, io.log, async (connection) => {
    // Reached only after the prompt above (or --yes): that is the confirmation a drop needs.
    const request = remediationRequest(findingId, {
      settings: connection.settings,
      profile,
      repoDir: options.repo,
      pythonFlag: options.python,
      confirmed: true,
      allowRemote: options.allowRemote,
    });
    if (!request.ok) throw new CliFailure(request.error, 2);
    return { report: await runRemediation(findingId, request.value, io.emit) };
  });
}
