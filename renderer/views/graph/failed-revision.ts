import type { GateReport } from '../../../shared/report/report';

/**
 * The revision a failed R4 step was running: Alembic logs "Running upgrade A -> B, msg"
 * (or "A, C -> B" at a merge) before it runs B, so the failure belongs to B. Read from
 * the failed step's evidence ({ ran, error: { running } }).
 */
export function failedRevision(r4: GateReport | null | undefined): string | null {
  if (!r4 || r4.status !== 'failed') return null;
  for (const step of r4.steps) {
    if (step.status !== 'failed') continue;
    const running = runningLine(step.evidence);
    if (!running) continue;
    const match = /->\s*([^\s,]+)/.exec(running);
    if (match) return match[1];
  }
  return null;
}

function runningLine(evidence: unknown): string | null {
  if (typeof evidence !== 'object' || evidence === null) return null;
  const error = (evidence as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const running = (error as { running?: unknown }).running;
  return typeof running === 'string' ? running : null;
}
