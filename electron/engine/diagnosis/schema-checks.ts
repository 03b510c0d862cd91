import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { Profile } from '../../../shared/profile/schema';
import type { StepReport } from '../../../shared/report/report';
import { readInsideDatabase } from '../db/read-inside';
import { checkMigrationPrivileges, type MigrationSql } from '../verify/check-migration-privileges';
import { checkForeignKeys } from '../verify/verify-schema';

/**
 * E1's read-only share of VERIFY: the foreign keys the profile names, and the privileges
 * and row-level security the planned revisions set, checked by VERIFY's own functions
 * (never with a repair session) on a session inside the database. E1 already reads the
 * tables, roles, the database-level setting and alembic_version itself; with these, a
 * Diagnose shows everything VERIFY would fail on, without rebuilding anything.
 */
export interface SchemaCheckRequest {
  settings: ConnectionSettings;
  profile: Profile;
  /** The planned revisions' offline SQL, or why it is not known (see diagnosis-migration-sql). */
  migrationSql: Promise<MigrationSql>;
}

type StepDraft = Omit<StepReport, 'durationMs'>;

export const SCHEMA_CHECK_STEPS = {
  foreignKeys: { id: 'foreign-keys', title: 'Foreign keys' },
  tableGrants: { id: 'table-grants', title: 'Privileges the revisions granted' },
  rowSecurity: { id: 'row-level-security', title: 'Row-level security the revisions set' },
} as const;

export async function readOnlySchemaChecks(request: SchemaCheckRequest): Promise<StepDraft[]> {
  const { settings, profile } = request;
  const sql = await request.migrationSql;
  const read = await readInsideDatabase(settings, profile, `checking ${profile.database.name} as VERIFY does`, async (client) => {
    const foreignKeys = await checkForeignKeys(client, profile);
    // No repair session: E1 never writes to the database.
    const privileges = await checkMigrationPrivileges(client, sql, profile);
    return { foreignKeys, privileges };
  });
  const { foreignKeys, tableGrants, rowSecurity } = SCHEMA_CHECK_STEPS;
  if (!read.ok) {
    const detail = `not checked: ${`${read.error.message} ${read.error.detail ?? ''}`.trim()}`;
    return [foreignKeys, tableGrants, rowSecurity].map((step) => ({ ...step, status: 'warning', detail }));
  }
  return [
    { ...foreignKeys, ...read.value.foreignKeys, source: 'profile' },
    { ...tableGrants, ...read.value.privileges.privileges, source: 'revisions' },
    { ...rowSecurity, ...read.value.privileges.rowSecurity, source: 'revisions' },
  ];
}
