import { appError } from '../../../shared/errors/app-error';
import { FINDING_CATALOGUE, REMEDIATION_ACTIONS } from '../../../shared/findings/catalogue';
import { fixOutcome, fixOutcomeLine } from '../../../shared/findings/fix-outcome';
import type { RunReport } from '../../../shared/report/report';
import { CliFailure, exitCodeFor } from '../cli-outcome';
import { fixHint } from '../terminal-printer';
import { findingFromArgument } from '../finding-argument';
import { requireSettings, withCliService } from '../cli-service';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import { requirePathFlags } from '../require-path-flags';
import { runJob } from '../run-job';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * `skeldir-rebuild fix FINDING [--yes]`: the app's fix button for a finding, asking first when
 * interactive; ends by saying whether the finding is gone, and exits 1 when it is not.
 */
export async function runFixCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const named = findingFromArgument(options.positionals[0]);
  if (!named.ok) throw new CliFailure(named.error, 2);
  const findingId = named.value;
  return withCliService(options, io, async (service) => {
    const settings = await requireSettings(service);
    await requirePathFlags(service, options);
    const action = FINDING_CATALOGUE[findingId].action;
    if (!action) {
      // Said before any connection: there is nothing to run.
      throw new CliFailure(
        appError('usage', `${findingId} has no automatic fix: ${FINDING_CATALOGUE[findingId].title}.`, {
          remediation: FINDING_CATALOGUE[findingId].explanation,
        }),
        2,
      );
    }
    if (!options.yes) {
      const yes = await confirm(`${findingId}: ${REMEDIATION_ACTIONS[action]} on database "${settings.databaseName}"?`);
      if (!yes) {
        throw new CliFailure(
          appError('confirmation-required', `Not fixed: ${findingId} needs your confirmation.`, {
            remediation: 'Answer "y" at the prompt, or pass --yes when not interactive.',
          }),
          2,
        );
      }
    }
    // Reached only after the prompt above (or --yes): that is the confirmation a fix that drops needs.
    const request = {
      kind: 'remediate',
      findingId,
      confirmDatabaseName: settings.databaseName,
      ...(options.allowRemote ? { confirmRemoteHost: options.host } : {}),
    } as const;
    const report = await runJob(service, request, io);
    // Said last, as the app says it above the findings: whether the diagnosis the fix ends with still finds it.
    const outcome = fixOutcome(findingId, undefined, report);
    io.log(fixOutcomeLine(outcome));
    for (const line of stillFound(report, findingId)) io.log(line);
    return { report, exitCode: outcome.outcome === 'still-there' ? 1 : exitCodeFor(report) };
  });
}

/**
 * The other problems the diagnosis the fix ended with still finds, each with its own fix: a
 * fix can leave one behind (bootstrap makes a missing role again, without the grants the
 * revisions gave the old one), and "✓ Fixed" alone would read as all clear.
 */
function stillFound(report: RunReport, fixed: string): string[] {
  const left = report.findings.filter((finding) => finding.id !== fixed && finding.severity !== 'info');
  if (left.length === 0) return [];
  return [`Still found after the fix (${left.length}):`, ...left.map((finding) => `  ${finding.id} [${finding.severity}] ${finding.title}${fixHint(finding)}`)];
}
