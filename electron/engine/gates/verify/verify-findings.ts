import type { Finding, FindingSource, GateReport, StepReport } from '../../../../shared/report/report';
import type { PrivilegeMismatch } from './check-migration-privileges';
import { canReapply, describeRowSecurityMismatch, type RowSecurityMismatch } from './row-security-check';
import { makeFinding } from '../findings/make-finding';
import { displayName } from './migration-sql-reader';

/**
 * Findings read from VERIFY's evidence: the privileges a planned revision granted (or
 * revoked) that the database no longer matches, grouped by role, and the row-level security
 * it set that a table no longer has, each with its file.
 */
export function verifyFindings(gate: GateReport): Finding[] {
  const grants = gate.steps.find((s) => s.id === 'table-grants');
  const rowSecurity = gate.steps.find((s) => s.id === 'row-level-security');
  return [...(grants ? grantFindings(grants) : []), ...(rowSecurity ? rowSecurityFindings(rowSecurity) : [])];
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
      const where = `${m.expectedHeld ? 'missing' : 'still held, revoked'} on ${displayName(m.schema, m.relation)} (${m.source})`;
      parts.set(where, [...(parts.get(where) ?? []), m.privilege]);
    }
    return `${role}: ${[...parts].map(([where, privileges]) => `${privileges.join(', ')} ${where}`).join('; ')}`;
  });
  return [makeFinding('MIGRATION-GRANTS-MISSING', lines.join('\n'), undefined, source)];
}

/** The row-level security finding from one "row-level-security" step (VERIFY's, or E1's read-only one). */
export function rowSecurityFindings(step: Pick<StepReport, 'status' | 'evidence'>, source?: FindingSource): Finding[] {
  if (step.status !== 'failed') return [];
  const evidence = step.evidence as { mismatches?: RowSecurityMismatch[] } | undefined;
  // A table that is gone is Expected tables' to say; a policy that cannot be made again is still named.
  const named = (evidence?.mismatches ?? []).filter((m) => m.setting === 'policy' || !m.relationMissing);
  if (!named.some(canReapply)) return [];
  return [makeFinding('MIGRATION-ROW-SECURITY-CHANGED', named.map(describeRowSecurityMismatch).join('\n'), undefined, source)];
}
