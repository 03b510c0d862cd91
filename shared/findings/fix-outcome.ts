import { messageWithRemedy } from '../errors/app-error';
import { GATE_TITLES } from '../report/gates';
import { diagnosisLooksFor } from '../report/step-findings';
import type { Finding, RunReport } from '../report/report';
import { FINDING_CATALOGUE } from './catalogue';

/**
 * A fix either makes its finding go away or says why it could not: after a remediation
 * job, the diagnosis it ends with is searched for the finding again. The app shows the
 * outcome next to the finding (or, when gone, above the list); `skeldir-rebuild fix`
 * prints it last and exits 1 when the finding is still there.
 */
export interface FixOutcome {
  findingId: string;
  /** The finding's title before the fix (it may be gone from the list). */
  title: string;
  /**
   * `gone`: found, then no longer; `not-there`: nothing to fix (the diagnosis the fix began
   * with did not find it, or the fix changed nothing); `unfinished`: a gate of the fix failed
   * although the finding is not in its closing diagnosis; `still-there`: the finding remains.
   */
  outcome: 'gone' | 'still-there' | 'not-there' | 'unfinished';
  message: string;
}

export function fixOutcome(findingId: string, before: Finding | undefined, report: RunReport): FixOutcome {
  const title = before?.title ?? (findingId in FINDING_CATALOGUE ? FINDING_CATALOGUE[findingId as keyof typeof FINDING_CATALOGUE].title : findingId);
  if (report.error) {
    return {
      findingId,
      title,
      outcome: 'still-there',
      message: `The fix could not run: ${messageWithRemedy(report.error)}`,
    };
  }
  const ran = report.gates.filter((g) => g.status !== 'blocked' && g.status !== 'skipped' && g.status !== 'pending');
  const failed = report.gates.find((g) => g.status === 'failed');
  const failedStep = failed?.steps.find((s) => s.status === 'failed');
  const failure = failed
    ? `${failed.id} ${GATE_TITLES[failed.id]} failed${failedStep ? `: ${failedStep.title} \u2014 ${failedStep.detail}` : failed.error ? `: ${failed.error.message}` : ''}`
    : null;
  const still =
    report.findings.find((f) => f.id === findingId && (!before || f.evidence === before.evidence)) ?? report.findings.find((f) => f.id === findingId);
  // Known to be absent when the fix began: the diagnosis that opened it looks for this finding every time.
  const absentAtStart = report.openingFindings !== undefined && !report.openingFindings.includes(findingId) && diagnosisLooksFor(findingId);
  if (!still && failure) {
    return {
      findingId,
      title,
      outcome: 'unfinished',
      message: absentAtStart
        ? `The diagnosis the fix began with did not find it, and ${sentence(failure)}`
        : `The diagnosis after the fix no longer finds it, but ${sentence(failure)}`,
    };
  }
  if (!still && (absentAtStart || changedNothing(report))) {
    return {
      findingId,
      title,
      outcome: 'not-there',
      message: absentAtStart
        ? 'The diagnosis the fix began with did not find it, and the one after it does not either.'
        : 'Every step of the fix found its work already done, and the diagnosis after it does not find it.',
    };
  }
  if (!still) return { findingId, title, outcome: 'gone', message: 'The diagnosis after the fix no longer finds it.' };
  const steps = ran.map((g) => `${g.id} ${g.status}`).join(', ');
  return {
    findingId,
    title,
    outcome: 'still-there',
    message: failure
      ? `The fix did not finish: ${sentence(failure)}`
      : `The fix ran (${steps || 'nothing to run'}) but the diagnosis after it still finds this: ${still.evidence} The fix cannot clear it; follow the explanation instead.`,
  };
}

/** The outcome as one line, in the words both fronts use. */
export function fixOutcomeLine(outcome: FixOutcome): string {
  switch (outcome.outcome) {
    case 'gone':
      return `\u2713 Fixed \u201c${outcome.title}\u201d: ${outcome.message}`;
    case 'not-there':
      return `\u2713 Nothing to fix \u201c${outcome.title}\u201d: ${outcome.message}`;
    case 'unfinished':
      return `\u2717 Fix did not finish \u201c${outcome.title}\u201d: ${outcome.message}`;
    case 'still-there':
      return `\u2717 Not fixed \u201c${outcome.title}\u201d: ${outcome.message}`;
  }
}

/**
 * Whether a fix changed nothing: each bootstrap or upgrade step found its work done
 * ("already"), no check re-applied a statement, and a recovery step (the crash fixes') said
 * it changed nothing. Step statuses carry this: "passed" in E2, E3 and R4 means done now.
 */
function changedNothing(report: RunReport): boolean {
  if (report.fix && 'done' in report.fix && report.fix.changed !== false) return false;
  return report.gates.every((gate) => {
    if (gate.id === 'E2' || gate.id === 'E3' || gate.id === 'R4') return gate.steps.every((step) => step.status === 'already' || step.status === 'skipped');
    if (gate.id === 'VERIFY') return gate.steps.every((step) => reappliedCount(step.evidence) === 0);
    return true;
  });
}

/** How many statements a check re-applied (its evidence's `reapplied`), 0 when it re-applied none. */
function reappliedCount(evidence: unknown): number {
  const reapplied = evidence && typeof evidence === 'object' ? (evidence as { reapplied?: unknown }).reapplied : undefined;
  return Array.isArray(reapplied) ? reapplied.length : 0;
}

/** Text ended as a sentence: a step's detail often ends with its own full stop already. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`;
}
