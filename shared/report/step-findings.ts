import { GATE_TITLES, type GateId } from './gates';
import type { Finding, FindingSource, GateReport, StepReport } from './report';

/**
 * Findings from evidence: every failed step of a run is explained by a finding. A step
 * that no finding claims (by its `source`, or by the catalogue's ids below) becomes a
 * generic STEP-FAILED finding naming the gate, the step and its detail, so the Findings
 * view can never say "No findings" while a gate is red.
 */
export const STEP_FAILED_ID = 'STEP-FAILED';

/** A missing table fails every schema check that looks at it, in E1 and in VERIFY: the finding that says it is missing explains them all. */
const TABLE_STEPS = (['E1', 'VERIFY'] as const).map((gate) => ({ gate, steps: ['tables', 'foreign-keys', 'row-level-security', 'table-grants'] }));

/**
 * Which steps the catalogue's findings explain when they carry no `source` (the ones
 * written before findings said where they came from, and those that explain a family of
 * steps). A step id ending in `*` matches by prefix; no step list means any step of the gate.
 */
const IMPLICIT_SOURCES: Readonly<Record<string, ReadonlyArray<{ gate: GateId; steps?: readonly string[] }>>> = {
  'SERVER-UNREACHABLE': [{ gate: 'E1', steps: ['connect'] }],
  'SERVER-LOGIN-FAILED': [{ gate: 'E1', steps: ['connect'] }],
  'SERVER-TOO-OLD': [{ gate: 'E1', steps: ['server-version'] }],
  'ROLES-MISSING': [{ gate: 'E1', steps: ['roles'] }],
  'ROLES-NOLOGIN': [{ gate: 'E1', steps: ['roles'] }],
  'DATABASE-MISSING': [{ gate: 'E1', steps: ['database'] }],
  'APP-ROLE-LOGIN-FAILED': [{ gate: 'E1', steps: ['login-*'] }],
  'GUC-MISSING': [{ gate: 'E1', steps: ['guc'] }],
  'REPOSITORY-UNUSABLE': [{ gate: 'E1', steps: ['repository'] }],
  'UNKNOWN-REVISION': [{ gate: 'E1', steps: ['graph-position'] }],
  'BRANCH-ONLY': [{ gate: 'E1', steps: ['graph-position'] }],
  'SCHEMA-AHEAD-OF-VERSION': [...TABLE_STEPS, { gate: 'E1', steps: ['graph-position'] }, { gate: 'R4' }],
  'VERSION-ROWS-OVERLAP': [{ gate: 'E1', steps: ['graph-position'] }],
  'TABLES-MISSING': TABLE_STEPS,
  'CELERY-ONLY': TABLE_STEPS,
  'TABLES-DROPPED': TABLE_STEPS,
  'SCHEMA-UNRECORDED': TABLE_STEPS,
  'PYTHON-PREREQUISITES-MISSING': [
    { gate: 'E1', steps: ['prerequisite-*'] },
    { gate: 'R4', steps: ['prerequisites'] },
    { gate: 'R5', steps: ['interpreter'] },
  ],
  FM1: [{ gate: 'R4' }],
  FM2: [{ gate: 'R4' }],
  FM3: [{ gate: 'R4' }, { gate: 'R5' }],
  FM4: [{ gate: 'R5' }],
  'MIGRATION-FAILED': [{ gate: 'R4' }],
  'MIGRATION-CONNECTION-LOST': [{ gate: 'R4' }],
  'MIGRATION-CRASHED': [{ gate: 'R4' }],
  'VALIDATION-FAILED': [{ gate: 'R5' }],
};

/**
 * Whether the read-only diagnosis (E1) looks for this finding every time it runs, so that
 * its absence there means the problem was not there (findings of failed upgrades or tests
 * appear only when those run).
 */
export function diagnosisLooksFor(findingId: string): boolean {
  return (IMPLICIT_SOURCES[findingId] ?? []).some((source) => source.gate === 'E1');
}

/** Where a finding came from when it does not say (the engine knows which gate reported it). */
export type SourceOf = (finding: Finding) => FindingSource | undefined;

function sourcesOf(finding: Finding, sourceOf?: SourceOf): ReadonlyArray<{ gate: GateId; steps?: readonly string[] }> {
  const source = finding.source ?? sourceOf?.(finding);
  if (source) return [{ gate: source.gate, ...(source.step ? { steps: [source.step] } : {}) }];
  return IMPLICIT_SOURCES[finding.id] ?? [];
}

function stepMatches(pattern: string, step: string): boolean {
  return pattern.endsWith('*') ? step.startsWith(pattern.slice(0, -1)) : pattern === step;
}

/** Whether some finding (other than a generic one) explains this step of `gate` (`null`: any of its failure). */
function isExplained(findings: readonly Finding[], gate: GateId, step: string | null, sourceOf?: SourceOf): boolean {
  return findings.some(
    (finding) =>
      finding.id !== STEP_FAILED_ID &&
      sourcesOf(finding, sourceOf).some((source) => source.gate === gate && (step === null || !source.steps || source.steps.some((p) => stepMatches(p, step)))),
  );
}

/** How a step's detail names its remedy, at its end: "… → fix: what to do" (written by withFix). */
const FIX_IN_DETAIL = /\s*\u2192 fix: (.+)$/s;

/** A step's detail with its remedy at the end, where the finding for a failed step finds it as what to do. */
export function withFix(detail: string, fix: string | undefined | null): string {
  return fix ? `${detail} \u2192 fix: ${fix}` : detail;
}

/** The remediation a step's detail or the gate's error names ("→ fix: …", AppError.remediation), if any. */
function remediationText(gate: GateReport, step: StepReport | null): string | null {
  const fix = step?.detail.match(FIX_IN_DETAIL)?.[1]?.trim();
  if (fix) return fix;
  return gate.error?.remediation ?? null;
}

function genericFinding(gate: GateReport, step: StepReport | null): Finding {
  const where = `${gate.id} ${GATE_TITLES[gate.id]}`;
  const source: FindingSource = step ? { gate: gate.id, step: step.id } : { gate: gate.id };
  const fix = remediationText(gate, step);
  // The remedy is said once, as "What to do", not also at the end of the evidence.
  const evidence = step
    ? step.detail.replace(FIX_IN_DETAIL, '')
    : [gate.error?.message, gate.error?.detail].filter(Boolean).join('\n') || `${where} failed without a failed step.`;
  const action = step ? step.action : gate.error?.action;
  const actionTarget = step ? step.actionTarget : gate.error?.actionTarget;
  return {
    id: STEP_FAILED_ID,
    severity: 'error',
    title: step ? `${where}: “${step.title}” failed` : `${where} failed`,
    evidence,
    explanation: fix
      ? `What to do: ${fix}`
      : 'No catalogued finding explains this failure yet; the evidence above is what the tool saw. Fix its cause, then run again.',
    remediation: null,
    source,
    ...(action ? { action } : {}),
    ...(actionTarget ? { actionTarget } : {}),
  };
}

/**
 * The generic findings a report still needs: one per failed step no finding explains,
 * and one per failed gate without any failed step or explaining finding. Blocked and
 * skipped gates add none (the failure that blocked them is the finding).
 */
export function unexplainedStepFindings(gates: readonly GateReport[], findings: readonly Finding[], sourceOf?: SourceOf): Finding[] {
  const out: Finding[] = [];
  for (const gate of gates) {
    const failedSteps = gate.steps.filter((step) => step.status === 'failed');
    for (const step of failedSteps) if (!isExplained(findings, gate.id, step.id, sourceOf)) out.push(genericFinding(gate, step));
    if (gate.status === 'failed' && failedSteps.length === 0 && !isExplained(findings, gate.id, null, sourceOf)) out.push(genericFinding(gate, null));
  }
  return out;
}

/** The report's findings plus the generic ones it still needs (idempotent: a report that has them gains none). */
export function withStepFindings(gates: readonly GateReport[], findings: readonly Finding[], sourceOf?: SourceOf): Finding[] {
  const missing = unexplainedStepFindings(gates, findings, sourceOf).filter(
    (generic) => !findings.some((f) => f.id === STEP_FAILED_ID && f.source?.gate === generic.source?.gate && f.source?.step === generic.source?.step),
  );
  return missing.length ? [...findings, ...missing] : [...findings];
}
