import type { JobRequest } from '../../shared/contract/jobs';
import type { GateId } from '../../shared/report/gates';
import type { Finding } from '../../shared/report/report';

/**
 * The gates a job will run, so the rail can dim the others from the first moment
 * (the engine's events confirm them one by one). Mirrors the pipeline's choices in
 * electron/engine/api/engine-service.ts and remediation-request.ts.
 */
export function plannedGates(request: JobRequest, findings: Finding[]): GateId[] {
  switch (request.kind) {
    case 'diagnose':
      return ['E1'];
    case 'rebuild':
      return ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'];
    case 'upgrade-to':
      return ['E1', 'R4'];
    case 'validate':
      return ['E1', 'R5'];
    case 'remediate': {
      const action = findings.find((f) => f.id === request.findingId)?.remediation?.action;
      if (action === 'reapply-migration-grants') return ['E1', 'VERIFY'];
      return action === 'run-planned-upgrade' ? ['E1', 'R4', 'VERIFY'] : ['E1', 'E2', 'E3'];
    }
  }
}
