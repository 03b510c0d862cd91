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

/** Row-level security a revision set that the table no longer has: a setting, or a policy that is gone. */
export type RowSecurityMismatch = RowSecuritySettingMismatch | MissingPolicy;

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

/** A table's row-level security as the catalog holds it. */
export interface TableRowSecurity {
  rls: boolean;
  force_rls: boolean;
  policies: string[];
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
    if (!row || row.policies.includes(p.name)) return [];
    return [{ setting: 'policy', schema: p.schema, relation: p.relation, policy: p.name, definition: p.definition, source: p.source.file }];
  });
  return [...settings, ...policies];
}

const ROW_SECURITY_WORDS = {
  enabled: { true: 'ENABLE', false: 'DISABLE' },
  forced: { true: 'FORCE', false: 'NO FORCE' },
} as const;

/** Whether a fix can settle the mismatch with a statement: not for a table that is gone, nor a policy whose definition is not known. */
export function canReapply(m: RowSecurityMismatch): boolean {
  return m.setting === 'policy' ? m.definition !== null : !m.relationMissing;
}

/**
 * One statement per mismatch, as the revision made it: ALTER TABLE … ROW LEVEL SECURITY, or the
 * revision's own CREATE POLICY on the table's current name (its definition is the revision's SQL,
 * which an upgrade would run as it stands).
 */
export function rowSecurityRepairStatements(mismatches: RowSecurityMismatch[]): string[] {
  return mismatches
    .filter(canReapply)
    .map((m) =>
      m.setting === 'policy'
        ? sqlFormat('verify/create-policy', m.policy, m.schema, m.relation, m.definition ?? '')
        : sqlFormat('verify/set-row-security', m.schema, m.relation, ROW_SECURITY_WORDS[m.setting][m.expected ? 'true' : 'false']),
    );
}

/** How one mismatch reads in VERIFY's detail and the finding: the table, what is off, and which file set it. */
export function describeRowSecurityMismatch(m: RowSecurityMismatch): string {
  const where = displayName(m.schema, m.relation);
  if (m.setting === 'policy') {
    const how = m.definition === null ? '; a later ALTER POLICY changed it, so make it again by hand' : '';
    return `${where}: policy ${m.policy} missing (created by ${m.source}${how})`;
  }
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
