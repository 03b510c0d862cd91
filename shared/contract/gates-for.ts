import { FINDING_CATALOGUE, type RemediationAction } from '../findings/catalogue';
import type { GateId } from '../report/gates';
import type { JobRequest } from './jobs';

/**
 * The gates each job runs, decided once for every front: the app's service builds its
 * pipeline request from it, the CLI's gate commands go through that service, and the
 * renderer dims the rail's other gates from the first moment.
 */
export function gatesFor(job: JobRequest): GateId[] {
  switch (job.kind) {
    case 'diagnose':
      return ['E1'];
    case 'bootstrap':
      return ['E1', 'E2', 'E3'];
    case 'rebuild':
      return ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'];
    case 'upgrade-to':
    case 'migrate':
      return ['E1', 'R4'];
    case 'verify':
      return ['E1', 'VERIFY'];
    case 'validate':
      return ['E1', 'R5'];
    case 'remediate': {
      const entry = (FINDING_CATALOGUE as Record<string, { action: RemediationAction | null } | undefined>)[job.findingId];
      return entry?.action ? remediationGates(entry.action) : [];
    }
  }
}

/**
 * A finding's fix as gates, each ending in a fresh diagnosis: bootstrap-like fixes are
 * idempotent E1–E3 (only what is missing changes); an upgrade re-verifies the schema;
 * re-applying the revisions' grants or row-level security, or the profile's foreign keys, is VERIFY
 * with its repair step.
 */
export function remediationGates(action: RemediationAction): GateId[] {
  switch (action) {
    case 'recover-invalid-database':
    case 'drop-half-made-copies':
    case 'reopen-database':
    case 'run-bootstrap':
    case 'reset-role-passwords':
    case 'set-guc':
      return ['E1', 'E2', 'E3'];
    case 'run-planned-upgrade':
      return ['E1', 'R4', 'VERIFY'];
    case 'reapply-migration-grants':
    case 'reapply-migration-row-security':
    case 'recreate-foreign-keys':
      return ['E1', 'VERIFY'];
  }
}
