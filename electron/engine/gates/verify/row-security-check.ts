/**
 * VERIFY's row-level security check: the ENABLE/FORCE settings and the policies the planned
 * revisions leave on each table, compared with the catalog, and the statements that set back
 * what differs (the fix of MIGRATION-ROW-SECURITY-CHANGED).
 */
import type { StepReport } from '../../../../shared/report/report';
import { sqlFormat } from '../../db/sql-files';
import type { MigrationExpectations } from './migration-expectations';
import { displayName } from './migration-sql-reader';

type Outcome = Omit<StepReport, 'id' | 'title' | 'durationMs'>;

/** Row-level security a revision set that the table no longer has: a setting, a policy that is gone, or one opened to every row. */
export type RowSecurityMismatch = RowSecuritySettingMismatch | MissingPolicy | OpenedPolicy;

export interface RowSecuritySettingMismatch {
  setting: 'enabled' | 'forced';
  schema: string;
  relation: string;
  /** What the revision set: true for ENABLE or FORCE. */
  expected: boolean;
  /** The revision file that set it last. */
  source: string;
  /** The table no longer exists: nothing to re-apply. */
  relationMissing?: boolean;
}

export interface MissingPolicy {
  setting: 'policy';
  schema: string;
  relation: string;
  policy: string;
  /** What follows `ON table` in the revision's CREATE POLICY; null when a later ALTER POLICY changed it. */
  definition: string | null;
  source: string;
}

/**
 * A policy the revision made restrictive that now lets every row through (its USING and WITH
 * CHECK are `true`, or absent): changed in place, tenant isolation is off while the policy's
 * name is still there. Only this plain case is told; other rewrites of a policy are not compared.
 */
export interface OpenedPolicy {
  setting: 'policy-opened';
  schema: string;
  relation: string;
  policy: string;
  /** What follows `ON table` in the revision's CREATE POLICY. */
  definition: string;
  source: string;
}

/** A table's row-level security as the catalog holds it. */
export interface TableRowSecurity {
  rls: boolean;
  force_rls: boolean;
  policies: string[];
  /** Permissive policies whose USING and WITH CHECK are `true` or absent; absent in older callers. */
  open_policies?: string[];
}

/** Whether a CREATE POLICY definition lets every row through: each USING / WITH CHECK it has is `true`, and it has one. */
export function opensEveryRow(definition: string): boolean {
  const clauses = [...definition.matchAll(/\b(?:USING|WITH\s+CHECK)\s*\(/gi)].map((match) => balancedFrom(definition, (match.index ?? 0) + match[0].length));
  return clauses.length > 0 && clauses.every((clause) => clause !== null && clause.replace(/[\s()]/g, '').toLowerCase() === 'true');
}

/** The text inside the parenthesis opened just before `start`, up to its matching close; null when it never closes. */
function balancedFrom(text: string, start: number): string | null {
  let depth = 1;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth === 0) return text.slice(start, i);
  }
  return null;
}

/** What the replayed revisions expect that the tables (looked up by schema and name) no longer have. */
export function rowSecurityMismatches(
  expectations: Pick<MigrationExpectations, 'rowSecurity' | 'policies'>,
  tableOf: (schema: string, name: string) => TableRowSecurity | undefined,
): RowSecurityMismatch[] {
  const settings = expectations.rowSecurity.flatMap((e): RowSecurityMismatch[] => {
    const row = tableOf(e.schema, e.relation);
    const base = { schema: e.schema, relation: e.relation, source: e.source.file };
    if (!row) return [{ ...base, setting: 'enabled', expected: e.enabled, relationMissing: true }];
    const out: RowSecurityMismatch[] = [];
    if (row.rls !== e.enabled) out.push({ ...base, setting: 'enabled', expected: e.enabled });
    if (e.forced !== null && row.force_rls !== e.forced) out.push({ ...base, setting: 'forced', expected: e.forced });
    return out;
  });
  // A policy on a table that is gone is said by the table's own line (or by Expected tables).
  const policies = expectations.policies.flatMap((p): RowSecurityMismatch[] => {
    const row = tableOf(p.schema, p.relation);
    if (!row) return [];
    if (!row.policies.includes(p.name))
      return [{ setting: 'policy', schema: p.schema, relation: p.relation, policy: p.name, definition: p.definition, source: p.source.file }];
    // A definition a later ALTER POLICY changed is not known: nothing to compare with.
    if (p.definition !== null && row.open_policies?.includes(p.name) && !opensEveryRow(p.definition))
      return [{ setting: 'policy-opened', schema: p.schema, relation: p.relation, policy: p.name, definition: p.definition, source: p.source.file }];
    return [];
  });
  return [...settings, ...policies];
}

const ROW_SECURITY_WORDS = {
  enabled: { true: 'ENABLE', false: 'DISABLE' },
  forced: { true: 'FORCE', false: 'NO FORCE' },
} as const;

/** Whether a fix can settle the mismatch with a statement: not for a table that is gone, nor a policy whose definition is not known. */
export function canReapply(m: RowSecurityMismatch): boolean {
  if (m.setting === 'policy-opened') return true;
  return m.setting === 'policy' ? m.definition !== null : !m.relationMissing;
}

/**
 * One statement per mismatch, as the revision made it: ALTER TABLE … ROW LEVEL SECURITY, or the
 * revision's own CREATE POLICY on the table's current name (its definition is the revision's SQL,
 * which an upgrade would run as it stands).
 */
export function rowSecurityRepairStatements(mismatches: RowSecurityMismatch[]): string[] {
  return mismatches.filter(canReapply).flatMap((m) => {
    if (m.setting === 'policy-opened')
      return [sqlFormat('verify/drop-policy', m.policy, m.schema, m.relation), sqlFormat('verify/create-policy', m.policy, m.schema, m.relation, m.definition)];
    if (m.setting === 'policy') return [sqlFormat('verify/create-policy', m.policy, m.schema, m.relation, m.definition ?? '')];
    return [sqlFormat('verify/set-row-security', m.schema, m.relation, ROW_SECURITY_WORDS[m.setting][m.expected ? 'true' : 'false'])];
  });
}

/** How one mismatch reads in VERIFY's detail and the finding: the table, what is off, and which file set it. */
export function describeRowSecurityMismatch(m: RowSecurityMismatch): string {
  const where = displayName(m.schema, m.relation);
  if (m.setting === 'policy') {
    const how = m.definition === null ? '; a later ALTER POLICY changed it, so make it again by hand' : '';
    return `${where}: policy ${m.policy} missing (created by ${m.source}${how})`;
  }
  if (m.setting === 'policy-opened') return `${where}: policy ${m.policy} lets every row through (USING true), not as ${m.source} made it`;
  if (m.relationMissing) return `${where} does not exist (row-level security set by ${m.source})`;
  const [now, set] = m.setting === 'enabled' ? ['enabled', m.expected ? 'enabled' : 'disabled'] : ['forced', m.expected ? 'FORCE' : 'NO FORCE'];
  return `${where}: ${m.expected ? 'not ' : ''}${now} (${set} by ${m.source})`;
}

/** VERIFY's "Row-level security the revisions set" step; `notChecked` lists what could not be known offline. */
export function rowSecurityOutcome(
  expectations: Pick<MigrationExpectations, 'rowSecurity' | 'policies'>,
  mismatches: RowSecurityMismatch[],
  reapplied: string[],
  notChecked: string[],
): Outcome {
  const evidence = {
    expected: expectations.rowSecurity.map((e) => ({
      relation: displayName(e.schema, e.relation),
      enabled: e.enabled,
      forced: e.forced,
      source: e.source.file,
    })),
    policies: expectations.policies.map((p) => ({ relation: displayName(p.schema, p.relation), policy: p.name, source: p.source.file })),
    mismatches,
    ...(reapplied.length ? { reapplied } : {}),
  };
  const suffix = notChecked.length ? `; not checked: ${notChecked.join('; ')}` : '';
  if (expectations.rowSecurity.length === 0 && expectations.policies.length === 0) {
    return {
      status: 'skipped',
      detail: notChecked.length ? `not checked: ${notChecked.join('; ')}` : 'the revisions enable row-level security on no table',
      evidence,
    };
  }
  const fixed = reapplied.length ? `re-applied ${reapplied.length} statement(s): ${reapplied.join('; ')}; ` : '';
  if (mismatches.length) return { status: 'failed', detail: `${fixed}${mismatches.map(describeRowSecurityMismatch).join('; ')}${suffix}`, evidence };
  const on = expectations.rowSecurity.filter((e) => e.enabled).map((e) => displayName(e.schema, e.relation));
  const policies = expectations.policies.length
    ? `; ${expectations.policies.length} ${expectations.policies.length === 1 ? 'policy' : 'policies'} in place`
    : '';
  return { status: 'passed', detail: `${fixed}enabled on ${on.join(', ') || 'no table'} (as the revisions set it)${policies}${suffix}`, evidence };
}
