import type { Client } from 'pg';
import type { Profile } from '../../../../shared/profile/schema';
import type { StepReport } from '../../../../shared/report/report';
import { applyRepairs, repairStoppedDetail, type RepairRun } from './repair-statements';
import { statementError } from '../../db/pg-errors';
import { sqlFormat, sqlText } from '../../db/sql-files';
import { displayName, readMigrationSql } from './migration-sql-reader';
import { rowSecurityMismatches, rowSecurityOutcome, rowSecurityRepairStatements } from './row-security-check';
import {
  replayExpectations,
  rolesAskedAbout,
  schemasNamed,
  type CatalogView,
  type MigrationExpectations,
  type NotChecked,
  type PrivilegeExpectation,
  type RevisionStatements,
} from './migration-expectations';
import type { RevisionSqlRecord } from './offline-migration-sql';

/**
 * VERIFY's privilege and row-level security checks: what the planned revisions granted,
 * revoked and put under row-level security (read from their offline SQL), plus grants a
 * profile declares itself, compared with the catalog. Every expectation names its source.
 */
export type MigrationSql = { known: true; revisions: RevisionSqlRecord[]; unknownReason: string | null; fromDisk: boolean } | { known: false; reason: string };

type Outcome = Omit<StepReport, 'id' | 'title' | 'durationMs'>;

/** What a fix re-applies before VERIFY checks: the revisions' grants and revokes, or their row-level security. */
export type MigrationRepair = 'grants' | 'row-security';

/** One expectation that does not hold, as the finding and its fix read it from the evidence. */
export interface PrivilegeMismatch {
  role: string;
  schema: string;
  relation: string;
  objectType: 'table' | 'sequence';
  privilege: string;
  /** true: missing (a GRANT to re-apply); false: held although revoked. */
  expectedHeld: boolean;
  /** The revision file, or "profile". */
  source: string;
  revision: string;
  /** The relation no longer exists: nothing to re-apply. */
  relationMissing?: boolean;
}

interface CatalogRow {
  schema: string;
  name: string;
  type: 'table' | 'sequence';
  rls: boolean;
  force_rls: boolean;
  policies: string[];
  open_policies: string[];
  privileges: [string, string][];
}

const KNOWN_PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'USAGE', 'MAINTAIN']);
const relationKey = (schema: string, name: string) => `${schema}\u0000${name}`;

export interface PrivilegeChecks {
  privileges: Outcome;
  rowSecurity: Outcome;
}

/**
 * Reads the catalog once and checks both. With `repair` (the fix of MIGRATION-GRANTS-MISSING or
 * MIGRATION-ROW-SECURITY-CHANGED), every mismatch of that kind a statement can settle is first
 * re-applied on the repair session (a superuser's), as the revision wrote it, then the catalog
 * is read again. A fix changes only what its button names.
 */
export async function checkMigrationPrivileges(
  client: Client,
  sql: MigrationSql,
  profile: Profile,
  repair?: { client: Client; what: MigrationRepair },
): Promise<PrivilegeChecks> {
  const revisions: RevisionStatements[] = sql.known
    ? sql.revisions.map((r) => ({
        revision: r.revision,
        file: r.file,
        statements: r.sql === null ? null : readMigrationSql(r.sql),
        unknownReason: sql.unknownReason ?? undefined,
      }))
    : [];
  const expectedFromProfile = profileExpectations(profile);
  const check = async () => {
    const catalog = await readCatalog(client, revisions, expectedFromProfile);
    const expectations = asMigrationRole(replayExpectations(revisions, catalog.view), profile);
    return {
      expectations,
      mismatches: compare([...expectations.privileges, ...expectedFromProfile], catalog.rows),
      rowSecurity: rowSecurityMismatches(expectations, (schema, name) => catalog.rows.get(relationKey(schema, name))),
    };
  };
  let found = await check();
  let run: RepairRun = { reapplied: [], failed: null };
  const statements = !repair ? [] : repair.what === 'grants' ? repairStatements(found.mismatches) : rowSecurityRepairStatements(found.rowSecurity);
  if (repair && statements.length) {
    run = await applyRepairs(repair.client, statements, profile.database.name, (error, statement) => statementError(error, `re-applying ${statement}`));
    found = await check();
  }
  const { reapplied, failed: repairFailed } = run;
  const outcomes: PrivilegeChecks = {
    privileges: privilegeOutcome(sql, found.expectations, expectedFromProfile, found.mismatches, repair?.what === 'grants' ? reapplied : []),
    rowSecurity: rowSecurityOutcome(
      found.expectations,
      found.rowSecurity,
      repair?.what === 'row-security' ? reapplied : [],
      notCheckedLines(
        sql,
        found.expectations.notChecked.filter((n) => /ROW LEVEL SECURITY|POLICY/i.test(n.what) || n.what.startsWith('revision ')),
      ),
    ),
  };
  if (!repair || !repairFailed) return outcomes;
  // The fix's own step says why it stopped; the other check keeps its result.
  const step = repair.what === 'grants' ? 'privileges' : 'rowSecurity';
  const detail = repairStoppedDetail(repairFailed, outcomes[step].detail);
  return { ...outcomes, [step]: { ...outcomes[step], status: 'failed', detail } };
}

/** CURRENT_USER and friends in a revision mean the role Alembic ran as: the profile's application role. */
function asMigrationRole(expectations: MigrationExpectations, profile: Profile): MigrationExpectations {
  const session = new Set(['current_user', 'current_role', 'session_user']);
  return { ...expectations, privileges: expectations.privileges.map((e) => (session.has(e.role) ? { ...e, role: profile.applicationRole } : e)) };
}

function profileExpectations(profile: Profile): PrivilegeExpectation[] {
  return profile.tableGrants.flatMap((grant) =>
    (grant.tables ?? profile.expectedTables).flatMap((table) =>
      grant.privileges.map((privilege) => ({
        schema: 'public',
        relation: table,
        objectType: 'table' as const,
        role: grant.role,
        privilege,
        held: true,
        source: { revision: 'profile', file: 'profile' },
      })),
    ),
  );
}

async function readCatalog(
  client: Client,
  revisions: RevisionStatements[],
  fromProfile: PrivilegeExpectation[],
): Promise<{ view: CatalogView; rows: Map<string, CatalogRow> }> {
  const schemas = [...new Set([...schemasNamed(revisions), ...fromProfile.map((e) => e.schema)])];
  const rows = (await client.query<CatalogRow>(sqlText('verify/select-relation-privileges'), [schemas])).rows;
  const asked = rolesAskedAbout(revisions);
  const roles = asked.length ? (await client.query<{ rolname: string }>(sqlText('e1/select-roles'), [asked])).rows.map((r) => r.rolname) : [];
  return {
    view: { roles: new Set(roles), relations: rows.map((r) => ({ schema: r.schema, name: r.name, type: r.type })) },
    rows: new Map(rows.map((r) => [relationKey(r.schema, r.name), r])),
  };
}

function compare(expected: PrivilegeExpectation[], rows: Map<string, CatalogRow>): PrivilegeMismatch[] {
  const out: PrivilegeMismatch[] = [];
  for (const e of expected) {
    const row = rows.get(relationKey(e.schema, e.relation));
    const base = {
      role: e.role,
      schema: e.schema,
      relation: e.relation,
      objectType: e.objectType,
      privilege: e.privilege,
      expectedHeld: e.held,
      source: e.source.file,
      revision: e.source.revision,
    };
    if (!row) {
      // A revoke on a relation that is gone holds trivially.
      if (e.held) out.push({ ...base, relationMissing: true });
      continue;
    }
    const holds = row.privileges.some(([grantee, privilege]) => grantee === e.role && privilege === e.privilege);
    if (holds !== e.held) out.push(base);
  }
  return out;
}

/**
 * One GRANT or REVOKE per relation, role and direction, with the privileges it misses.
 * PUBLIC is re-applied as the revision wrote it (a keyword there, never a quoted role name).
 */
export function repairStatements(mismatches: PrivilegeMismatch[]): string[] {
  const groups = new Map<string, PrivilegeMismatch[]>();
  for (const m of mismatches) {
    if (m.relationMissing || !KNOWN_PRIVILEGES.has(m.privilege)) continue;
    const k = [m.expectedHeld, m.objectType, m.schema, m.relation, m.role].join('\u0000');
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  return [...groups.values()].map((group) => {
    const m = group[0];
    const privileges = [...new Set(group.map((g) => g.privilege))].join(', ');
    const keyword = m.objectType === 'sequence' ? 'SEQUENCE' : 'TABLE';
    if (m.role === 'PUBLIC') {
      const statement = m.expectedHeld ? 'verify/grant-relation-privileges-to-public' : 'verify/revoke-relation-privileges-from-public';
      return sqlFormat(statement, privileges, keyword, m.schema, m.relation);
    }
    const statement = m.expectedHeld ? 'verify/grant-relation-privileges' : 'verify/revoke-relation-privileges';
    return sqlFormat(statement, privileges, keyword, m.schema, m.relation, m.role);
  });
}

function privilegeOutcome(
  sql: MigrationSql,
  expectations: MigrationExpectations,
  fromProfile: PrivilegeExpectation[],
  mismatches: PrivilegeMismatch[],
  reapplied: string[],
): Outcome {
  const all = [...expectations.privileges, ...fromProfile];
  const notChecked = notCheckedLines(sql, expectations.notChecked);
  const evidence = {
    expected: all.map((e) => ({
      role: e.role,
      relation: displayName(e.schema, e.relation),
      privilege: e.privilege,
      held: e.held,
      source: e.source.file,
      revision: e.source.revision,
    })),
    mismatches,
    notChecked,
    ...(reapplied.length ? { reapplied } : {}),
    ...(sql.known ? { offlineSqlFromDisk: sql.fromDisk } : {}),
  };
  if (all.length === 0) {
    return {
      status: 'skipped',
      detail: notChecked.length ? `not checked: ${notChecked.join('; ')}` : 'neither the revisions nor the profile grant table privileges',
      evidence,
    };
  }
  const suffix = notChecked.length ? `; not checked: ${notChecked.join('; ')}` : '';
  const fixed = reapplied.length ? `re-applied ${reapplied.length} statement(s): ${reapplied.join('; ')}; ` : '';
  if (mismatches.length) {
    const byRole = groupBy(mismatches, (m) => m.role);
    const parts = [...byRole].map(([role, list]) => {
      const lines = [...groupBy(list, (m) => `${m.expectedHeld}\u0000${m.schema}\u0000${m.relation}\u0000${m.source}`).values()].map((g) => {
        const m = g[0];
        const privileges = g.map((x) => x.privilege).join(', ');
        const where = displayName(m.schema, m.relation);
        const from = m.source === 'profile' ? 'expected by the profile' : `${m.expectedHeld ? 'granted' : 'revoked'} by ${m.source}`;
        if (m.relationMissing) return `${where} does not exist (${privileges} ${from})`;
        return m.expectedHeld ? `lacks ${privileges} on ${where} (${from})` : `still holds ${privileges} on ${where} (${from})`;
      });
      return `${role} ${lines.join(', ')}`;
    });
    return { status: 'failed', detail: `${fixed}${parts.join('; ')}${suffix}`, evidence };
  }
  const held = all.filter((e) => e.held);
  const byRole = groupBy(held, (e) => e.role);
  const summary = [...byRole].map(([role, list]) => {
    const relations = new Set(list.map((e) => displayName(e.schema, e.relation)));
    const privileges = [...new Set(list.map((e) => e.privilege))].join(', ');
    const files = [...new Set(list.map((e) => (e.source.file === 'profile' ? 'the profile' : (e.source.file.split('/').pop() ?? e.source.file))))].join(', ');
    return `${role}: ${privileges} on ${relations.size} relation(s) (${files})`;
  });
  const revoked = [
    ...groupBy(
      all.filter((e) => !e.held),
      (e) => e.role,
    ),
  ].map(([role, list]) => `${role} (${list.length})`);
  return {
    status: 'passed',
    detail: `${fixed}${summary.join('; ')}${revoked.length ? `; revoked as the revisions say: ${revoked.join(', ')}` : ''}${suffix}`,
    evidence,
  };
}

/**
 * What could not be known offline, one line per reason: when Alembic's offline mode stops,
 * every revision from there on shares its one error, which is said once after their names.
 */
function notCheckedLines(sql: MigrationSql, notChecked: NotChecked[]): string[] {
  if (!sql.known) return [`the revisions' statements (${sql.reason})`];
  return [...groupBy(notChecked, (n) => n.why)].map(([why, items]) => {
    if (items.length === 1) return `${items[0].what} in ${items[0].source.file} (${why})`;
    const named = items.slice(0, 5).map((n) => n.what);
    return `${named.join(', ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''} (${why})`;
  });
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(keyOf(item), [...(out.get(keyOf(item)) ?? []), item]);
  return out;
}
