import { appError, err, ok, type Result } from '../../shared/errors/app-error';
import { FINDING_CATALOGUE, type FindingId } from '../../shared/findings/catalogue';
import { closestAmong } from '../../shared/graph/closest-names';
import { STEP_FAILED_ID } from '../../shared/report/step-findings';

/**
 * The finding a user named on the command line. Ids are matched without regard to case, as
 * people type them from a report ("roles-missing"); a near miss or a word of an id is answered
 * with the ids closest to it, and every error lists the findings that have an automatic fix.
 */
export function findingFromArgument(input: string | undefined): Result<FindingId> {
  const ids = Object.keys(FINDING_CATALOGUE) as FindingId[];
  const fixable = ids.filter((id) => FINDING_CATALOGUE[id].action);
  const remediation = `Findings with an automatic fix: ${fixable.join(', ')}.`;
  if (!input) return err(appError('usage', 'Name the finding to fix, e.g. "skeldir-rebuild fix ROLES-MISSING".', { remediation }));
  const exact = ids.find((id) => id.toLowerCase() === input.toLowerCase());
  if (exact) return ok(exact);
  // Not in the catalogue, but a finding every report may show: it has no fix of its own.
  if (input.toUpperCase() === STEP_FAILED_ID) {
    return err(
      appError('usage', `${STEP_FAILED_ID} has no automatic fix: it stands for a failed step that no catalogued finding explains.`, {
        remediation: 'Do what its "What to do" says, then run again; a diagnosis shows it again with the step it comes from.',
        action: 'run-diagnosis',
      }),
    );
  }
  // The nearest id, and the others that hold the typed word too ("missing" is in five).
  const [nearest, ...next] = closestAmong(ids, input, 3);
  const suggestion = didYouMean(nearest ? [nearest, ...next.filter((id) => id.toLowerCase().includes(input.toLowerCase()))] : []);
  return err(appError('usage', `Unknown finding "${input}".${suggestion}`, { remediation }));
}

function didYouMean(candidates: string[]): string {
  if (candidates.length === 0) return '';
  const quoted = candidates.map((id) => `"${id}"`);
  const listed = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${listed}?`;
}
