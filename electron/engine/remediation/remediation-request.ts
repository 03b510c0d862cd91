import type { ConnectionSettings } from '../../../shared/contract/connection';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import { FINDING_CATALOGUE, type FindingId } from '../../../shared/findings/catalogue';
import { remediationGates } from '../../../shared/contract/gates-for';
import type { Profile } from '../../../shared/profile/schema';
import type { PipelineRequest } from '../pipeline/run-pipeline';

/**
 * A finding's remediation as a pipeline run: the app's remediation buttons and
 * `skeldir-rebuild fix` both come here, so a fix behaves the same everywhere and ends
 * with a fresh diagnosis.
 *   run-bootstrap / reset-role-passwords / set-guc → E1, E2, E3 (idempotent: only what is
 *     missing changes; set-guc reports every other step as "already");
 *   run-planned-upgrade → E1, R4 (the graph- or profile-planned steps), VERIFY;
 *   reapply-migration-grants → E1, VERIFY, which first re-applies the revisions' grants that do not hold.
 */
interface Base {
  settings: ConnectionSettings;
  profile: Profile;
  repoDir?: string;
  pythonFlag?: string;
}

export function remediationRequest(findingId: FindingId, base: Base): Result<PipelineRequest> {
  const action = FINDING_CATALOGUE[findingId].action;
  const command = `fix ${findingId}`;
  switch (action) {
    case 'run-bootstrap':
    case 'reset-role-passwords':
    case 'set-guc':
      return ok({ ...base, command, gates: remediationGates(action), bootstrap: { dropExisting: false, confirmed: false, allowRemote: false } });
    case 'run-planned-upgrade':
      return ok({ ...base, command, gates: remediationGates(action) });
    case 'reapply-migration-grants':
      return ok({ ...base, command, gates: remediationGates(action), repairPrivileges: true });
    case null:
      return err(
        appError('usage', `${findingId} has no automatic fix: ${FINDING_CATALOGUE[findingId].title}.`, {
          remediation: FINDING_CATALOGUE[findingId].explanation,
        }),
      );
  }
}
