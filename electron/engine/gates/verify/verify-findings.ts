import type { Finding, FindingSource, GateReport, StepReport } from '../../../../shared/report/report';
import type { PrivilegeMismatch } from './check-migration-privileges';
import { makeFinding } from '../findings/make-finding';

/**
 * Findings read from VERIFY's evidence: the privileges a planned revision granted (or
 * revoked) that the database no longer matches, grouped by role, each with its file.
 */
export function verifyFindings(gate: GateReport): Finding[] {
  const step = gate.steps.find((s) => s.id === 'table-grants');
  return step ? grantFindings(step) : [];
}

/** The same from one "table-grants" step (VERIFY's, or E1's read-only one, which names itself as `source`). */
export function grantFindings(step: Pick<StepReport, 'status' | 'evidence'>, source?: FindingSource): Finding[] {
  if (step.status !== 'failed') return [];
  const evidence = step.evidence as { mismatches?: PrivilegeMismatch[] } | undefined;
  const fixable = (evidence?.mismatches ?? []).filter((m) => m.source !== 'profile' && !m.relationMissing);
  if (fixable.length === 0) return [];
  const byRole = new Map<string, PrivilegeMismatch[]>();
  for (const m of fixable) byRole.set(m.role, [...(byRole.get(m.role) ?? []), m]);
  const lines = [...byRole].map(([role, list]) => {
    const parts = new Map<string, string[]>();
    for (const m of list) {
      const where = `${m.expectedHeld ? 'missing' : 'still held, revoked'} on ${m.schema === 'public' ? m.relation : `${m.schema}.${m.relation}`} (${m.source})`;
      parts.set(where, [...(parts.get(where) ?? []), m.privilege]);
    }
    return `${role}: ${[...parts].map(([where, privileges]) => `${privileges.join(', ')} ${where}`).join('; ')}`;
  });
  return [makeFinding('MIGRATION-GRANTS-MISSING', lines.join('\n'), undefined, source)];
}
