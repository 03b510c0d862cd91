import { FINDING_CATALOGUE, remediationFor, type FindingId } from '../../../shared/findings/catalogue';
import type { Finding } from '../../../shared/report/report';

/** A finding from the catalogue with this run's evidence. */
export function makeFinding(id: FindingId, evidence: string, titleOverride?: string): Finding {
  const entry = FINDING_CATALOGUE[id];
  return {
    id,
    severity: entry.severity,
    title: titleOverride ?? entry.title,
    evidence,
    explanation: entry.explanation,
    remediation: remediationFor(id),
  };
}
