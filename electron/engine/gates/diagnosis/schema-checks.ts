import type { Sessions } from '../../db/run-sessions';
import type { Profile } from '../../../../shared/profile/schema';
import type { StepReport } from '../../../../shared/report/report';
import { readInsideDatabase } from '../../db/read-inside';
import { checkMigrationPrivileges, type MigrationSql } from '../verify/check-migration-privileges';
import { checkForeignKeys } from '../verify/foreign-key-check';

/**
 * E1's read-only share of VERIFY: the foreign keys the profile names, and the privileges
 * and row-level security the planned revisions set, checked by VERIFY's own functions
 * (never with a repair session) on a session inside the database. E1 already reads the
 * tables, roles, the database-level setting and alembic_version itself; with these, a
 * Diagnose shows everything VERIFY would fail on, without rebuilding anything.
 */
export interface SchemaCheckRequest {
  sessions: Sessions;
  profile: Profile;
  /** The planned revisions' offline SQL, or why it is not known (see diagnosis-migration-sql). */
  migrationSql: Promise<MigrationSql>;
  /** The profile's tables E1 found missing. */
  missingTables: string[];
  /** The database's alembic_version rows (null: no table). */
  alembicVersion: string[] | null;
  /** The rows the plan to the target leaves; null when no repository says. */
  targetVersions: string[] | null;
}

type StepDraft = Omit<StepReport, 'durationMs'>;

const SCHEMA_CHECK_STEPS = {
  foreignKeys: { id: 'foreign-keys', title: 'Foreign keys' },
  tableGrants: { id: 'table-grants', title: 'Privileges the revisions granted' },
  rowSecurity: { id: 'row-level-security', title: 'Row-level security the revisions set' },
} as const;

export async function readOnlySchemaChecks(request: SchemaCheckRequest): Promise<StepDraft[]> {
  const { sessions, profile } = request;
  const { foreignKeys, tableGrants, rowSecurity } = SCHEMA_CHECK_STEPS;
  // A check whose objects E1 already reports missing would only say so again, as a second problem with no fix of its own.
  const missingForKeys = [...new Set(profile.expectedForeignKeys.flatMap((fk) => [fk.table, fk.references.table]))].filter((t) =>
    request.missingTables.includes(t),
  );
  const offTarget = notAtTarget(request.alembicVersion, request.targetVersions);
  const sql = offTarget ? null : await request.migrationSql;
  const read = await readInsideDatabase(sessions, profile, `checking ${profile.database.name} as VERIFY does`, async (client) => ({
    foreignKeys: missingForKeys.length ? null : await checkForeignKeys(client, profile),
    // No repair session: E1 never writes to the database.
    privileges: sql ? await checkMigrationPrivileges(client, sql, profile) : null,
  }));
  if (!read.ok) {
    const detail = `not checked: ${`${read.error.message} ${read.error.detail ?? ''}`.trim()}`;
    return [foreignKeys, tableGrants, rowSecurity].map((step) => ({ ...step, status: 'warning', detail }));
  }
  const skipped = (detail: string) => ({ status: 'skipped' as const, detail: `not checked: ${detail}` });
  const { privileges } = read.value;
  return [
    { ...foreignKeys, ...(read.value.foreignKeys ?? skipped(`${missingForKeys.join(', ')} missing (see Expected tables)`)), source: 'profile' },
    { ...tableGrants, ...(privileges?.privileges ?? skipped(offTarget ?? '')), source: 'revisions' },
    { ...rowSecurity, ...(privileges?.rowSecurity ?? skipped(offTarget ?? '')), source: 'revisions' },
  ];
}

/**
 * Why the revisions' grants and row-level security cannot be expected yet, or null: they
 * describe the database at the target, and one short of it lacks them by design (E1's
 * migration findings say what to run).
 */
function notAtTarget(rows: string[] | null, target: string[] | null): string | null {
  if (target === null) return null;
  const have = [...(rows ?? [])].sort();
  const want = [...target].sort();
  if (have.length === want.length && have.every((row, i) => row === want[i])) return null;
  return `the database is not at the migrations' target (alembic_version: ${have.join(', ') || 'empty'}; target: ${want.join(', ')}), and these describe the target`;
}
