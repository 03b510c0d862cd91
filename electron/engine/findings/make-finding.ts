import { FINDING_CATALOGUE, remediationFor, type FindingId } from '../../../shared/findings/catalogue';
import type { Finding, FindingSource } from '../../../shared/report/report';

export { withStepFindings } from '../../../shared/report/step-findings';

/**
 * A finding from the catalogue with this run's evidence. `source` names the gate (and
 * step) it explains, so that failed step does not also become a generic STEP-FAILED one.
 */
export function makeFinding(id: FindingId, evidence: string, titleOverride?: string, source?: FindingSource): Finding {
  const entry = FINDING_CATALOGUE[id];
  return {
    id,
    severity: entry.severity,
    title: titleOverride ?? entry.title,
    evidence,
    explanation: entry.explanation,
    remediation: remediationFor(id),
    ...(source ? { source } : {}),
  };
}
