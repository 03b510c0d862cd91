import type { EmitEvent } from '../../../../shared/contract/events';
import { FINDING_CATALOGUE, remediationFor, type FindingId } from '../../../../shared/findings/catalogue';
import type { GateId } from '../../../../shared/report/gates';
import type { UserAction } from '../../../../shared/errors/user-action';
import type { Finding, FindingSource } from '../../../../shared/report/report';
import type { SourceOf } from '../../../../shared/report/step-findings';

export { withStepFindings } from '../../../../shared/report/step-findings';

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

/** A finding with what the user does by hand, for each front to name its own way (a CLI command, a view's button). */
export function withAction(finding: Finding, action: UserAction | undefined): Finding {
  return action ? { ...finding, action } : finding;
}

/**
 * Which gate reported each finding a run emits (the last gate started before it), so a
 * finding that does not name its `source` still explains its gate's failure and no
 * generic STEP-FAILED one is added next to it. E1's findings are left out: they describe
 * the server's state step by step, and one of them must not hide another failed step.
 */
export function trackFindingGates(emit: EmitEvent): { emit: EmitEvent; sourceOf: SourceOf } {
  let gate: GateId | null = null;
  const reported = new Map<string, GateId>();
  const key = (finding: Finding) => `${finding.id}\0${finding.evidence}`;
  return {
    emit: (event) => {
      if (event.kind === 'gate-started') gate = event.gate;
      else if (event.kind === 'finding' && gate && gate !== 'E1' && !event.finding.source) reported.set(key(event.finding), gate);
      emit(event);
    },
    sourceOf: (finding) => {
      const from = reported.get(key(finding));
      return from ? { gate: from } : undefined;
    },
  };
}
