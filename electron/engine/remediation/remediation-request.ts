import type { ConnectionSettings } from '../../../shared/contract/connection';
import { appError, err, ok, type Result } from '../../../shared/errors/app-error';
import { FINDING_CATALOGUE, type FindingId } from '../../../shared/findings/catalogue';
import { remediationGates } from '../../../shared/contract/gates-for';
import type { Profile } from '../../../shared/profile/schema';
import type { EmitEvent } from '../../../shared/contract/events';
import type { RunReport } from '../../../shared/report/report';
import { runPipeline, type PipelineRequest } from '../pipeline/run-pipeline';
import { dropHalfMadeCopies, recoverInvalidDatabase, reopenDatabase } from './copy-remediations';

/**
 * A finding's remediation as a pipeline run: the app's remediation buttons and
 * `skeldir-rebuild fix` both come here, so a fix behaves the same everywhere and ends
 * with a fresh diagnosis.
 *   run-bootstrap / reset-role-passwords / set-guc → E1, E2, E3 (idempotent: only what is
 *     missing changes; set-guc reports every other step as "already");
 *   run-planned-upgrade → E1, R4 (the graph- or profile-planned steps), VERIFY;
 *   reapply-migration-grants / reapply-migration-row-security / recreate-foreign-keys → E1, VERIFY,
 *     which first re-applies the revisions' grants (or row-level security, or the profile's foreign
 *     keys) that do not hold;
 *   recover-invalid-database / drop-half-made-copies → their own step first (copy-remediations), then
 *     E1, E2, E3; `confirmed` says the front asked (they drop or replace databases);
 *   reopen-database → its own step (open the database a stopped run left closed), then E1, E2, E3.
 */
interface Base {
  settings: ConnectionSettings;
  profile: Profile;
  repoDir?: string;
  pythonFlag?: string;
  /** The user confirmed a fix that drops or replaces a database (typed name in the app, prompt or --yes in the CLI). */
  confirmed?: boolean;
  /** The user allowed a drop on a server that is not this machine (--allow-remote). */
  allowRemote?: boolean;
}

export function remediationRequest(findingId: FindingId, { confirmed, allowRemote, ...base }: Base): Result<PipelineRequest> {
  const action = FINDING_CATALOGUE[findingId].action;
  const command = `fix ${findingId}`;
  switch (action) {
    case 'recover-invalid-database':
    case 'drop-half-made-copies':
      return ok({
        ...base,
        command,
        gates: remediationGates(action),
        bootstrap: { dropExisting: false, confirmed: confirmed ?? false, allowRemote: allowRemote ?? false },
      });
    case 'reopen-database':
    case 'run-bootstrap':
    case 'reset-role-passwords':
    case 'set-guc':
      return ok({ ...base, command, gates: remediationGates(action), bootstrap: { dropExisting: false, confirmed: false, allowRemote: false } });
    case 'run-planned-upgrade':
      return ok({ ...base, command, gates: remediationGates(action) });
    case 'reapply-migration-grants':
      return ok({ ...base, command, gates: remediationGates(action), reapply: 'grants' });
    case 'reapply-migration-row-security':
      return ok({ ...base, command, gates: remediationGates(action), reapply: 'row-security' });
    case 'recreate-foreign-keys':
      return ok({ ...base, command, gates: remediationGates(action), reapply: 'foreign-keys' });
    case null:
      return err(
        appError('usage', `${findingId} has no automatic fix: ${FINDING_CATALOGUE[findingId].title}.`, {
          remediation: FINDING_CATALOGUE[findingId].explanation,
        }),
      );
  }
}

/** Runs a remediation request: through the pipeline, or the crash-recovery fixes' own step first. */
export function runRemediation(findingId: FindingId, request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  switch (FINDING_CATALOGUE[findingId].action) {
    case 'recover-invalid-database':
      return recoverInvalidDatabase(request, emit);
    case 'drop-half-made-copies':
      return dropHalfMadeCopies(request, emit);
    case 'reopen-database':
      return reopenDatabase(request, emit);
    default:
      return runPipeline(request, emit);
  }
}
