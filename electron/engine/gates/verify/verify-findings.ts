import type { Finding, FindingSource, GateReport, StepReport } from '../../../../shared/report/report';
import type { PrivilegeMismatch } from './check-migration-privileges';
import { canReapply, describeRowSecurityMismatch, type RowSecurityMismatch } from './row-security-check';
import { makeFinding, withAction } from '../findings/make-finding';
import { displayName } from './migration-sql-reader';
import { describeForeignKeyMismatch, type ForeignKeyMismatch } from './foreign-key-check';

/**
 * Findings read from VERIFY's evidence: the privileges a planned revision granted (or
 * revoked) that the database no longer matches, grouped by role, the row-level security
 * it set that a table no longer has, each with its file, and the profile's foreign keys
 * that are missing or changed.
 */
export function verifyFindings(gate: GateReport): Finding[] {
  // The profile's tables VERIFY found missing are its 'tables' step's to say; the others the revisions name are said here.
  const missing = (gate.steps.find((step) => step.id === 'tables')?.evidence as { missing?: string[] } | undefined)?.missing ?? [];
  const gone = relationsGone(gate.steps, missing);
  return [...schemaCheckFindings(gate.steps, 'VERIFY'), ...(gone.length ? [relationsGoneFinding(gone)] : [])];
}

/** TABLES-DROPPED for relations the revisions name that are gone, with the rebuild as the remedy. */
export function relationsGoneFinding(gone: string[]): Finding {
  return withAction(makeFinding('TABLES-DROPPED', `Missing: ${gone.join(', ')}.`), 'rebuild-from-scratch');
}

/** The same from VERIFY's steps, or from E1's read-only share of them; each finding names the step it comes from. */
export function schemaCheckFindings(steps: Pick<StepReport, 'id' | 'status' | 'evidence'>[], gate: 'E1' | 'VERIFY'): Finding[] {
  return steps.flatMap((step) => {
    const source: FindingSource = { gate, step: step.id };
    switch (step.id) {
      case 'foreign-keys':
        return foreignKeyFindings(step, source);
      case 'table-grants':
        return grantFindings(step, source);
      case 'row-level-security':
        return rowSecurityFindings(step, source);
      default:
        return [];
    }
  });
}

/**
 * Relations a revision grants on or secures that are gone from a database at the revisions'
 * target: dropped after the revisions ran. The grants and row-level security findings leave
 * them out (there is nothing to re-apply), so they are said here, as lines of TABLES-DROPPED,
 * whose remedy is the rebuild. Relations `alreadySaid` (the profile's tables E1 found missing)
 * are left to the finding that says them.
 */
export function relationsGone(steps: Pick<StepReport, 'id' | 'status' | 'evidence'>[], alreadySaid: readonly string[]): string[] {
  const gone = new Map<string, Set<string>>();
  for (const step of steps) {
    if (step.status !== 'failed' || (step.id !== 'table-grants' && step.id !== 'row-level-security')) continue;
    const mismatches =
      (step.evidence as { mismatches?: Array<Pick<PrivilegeMismatch, 'schema' | 'relation' | 'source' | 'relationMissing'>> } | undefined)?.mismatches ?? [];
    for (const m of mismatches) {
      if (!m.relationMissing || alreadySaid.includes(m.relation)) continue;
      const name = displayName(m.schema, m.relation);
      gone.set(name, (gone.get(name) ?? new Set<string>()).add(m.source));
    }
  }
  return [...gone].map(([name, sources]) => `${name} (granted on or secured by ${[...sources].join(', ')}, which ran)`);
}

/** The grants finding from one "table-grants" step. */
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

/** The row-level security finding from one "row-level-security" step. */
export function rowSecurityFindings(step: Pick<StepReport, 'status' | 'evidence'>, source?: FindingSource): Finding[] {
  if (step.status !== 'failed') return [];
  const evidence = step.evidence as { mismatches?: RowSecurityMismatch[] } | undefined;
  // A table that is gone is Expected tables' to say; a policy that cannot be made again is still named.
  const named = (evidence?.mismatches ?? []).filter((m) => m.setting === 'policy' || m.setting === 'policy-opened' || !m.relationMissing);
  if (!named.some(canReapply)) return [];
  return [makeFinding('MIGRATION-ROW-SECURITY-CHANGED', named.map(describeRowSecurityMismatch).join('\n'), undefined, source)];
}

/** The foreign-key finding from one "foreign-keys" step: every profile constraint that is missing or stands differently. */
export function foreignKeyFindings(step: Pick<StepReport, 'status' | 'evidence'>, source?: FindingSource): Finding[] {
  if (step.status !== 'failed') return [];
  const mismatches = (step.evidence as { mismatches?: ForeignKeyMismatch[] } | undefined)?.mismatches ?? [];
  if (mismatches.length === 0) return [];
  return [makeFinding('FOREIGN-KEY-CHANGED', mismatches.map(describeForeignKeyMismatch).join('\n'), undefined, source)];
}
