import { messageWithRemedy } from '../../../../shared/errors/app-error';
import type { Client } from 'pg';
import type { Sessions } from '../../db/run-sessions';
import type { EmitEvent } from '../../../../shared/contract/events';
import type { Profile } from '../../../../shared/profile/schema';
import type { GateReport, StepReport } from '../../../../shared/report/report';
import { applicationLogin } from '../../db/profile-logins';
import { statementError } from '../../db/pg-errors';
import { withLockHoldersNamed } from '../../db/other-sessions';
import { withFix } from '../../../../shared/report/step-findings';
import { sqlText } from '../../db/sql-files';
import { queryAlembicVersion } from '../../db/read-alembic-version';
import { GateRecorder } from '../gate-recorder';
import { checkMigrationPrivileges, type MigrationRepair, type MigrationSql, type PrivilegeChecks } from './check-migration-privileges';
import { checkForeignKeys } from './foreign-key-check';

/** What a fix re-applies before VERIFY checks: the revisions' grants or row-level security, or the profile's foreign keys. */
export type VerifyRepair = MigrationRepair | 'foreign-keys';

export interface VerifyRequest {
  sessions: Sessions;
  profile: Profile;
  /** Revisions alembic_version must hold (the target's heads); null: not checked. */
  expectedVersions: string[] | null;
  /**
   * The planned revisions' offline SQL: grants, revokes and row-level security are checked
   * from it. A promise, so the Python it may take runs while the profile's checks do (and
   * counts in VERIFY's time).
   */
  migrationSql: Promise<MigrationSql>;
  /** A fix: re-apply what the revisions granted, the row-level security they set, or the profile's foreign keys (as the superuser), before checking. */
  reapply?: VerifyRepair;
}

type Outcome = Omit<StepReport, 'id' | 'title' | 'durationMs'>;

/**
 * Gate VERIFY: the guide's verification queries as checks with evidence. Runs as the
 * application role (so it sees what Alembic and pytest will see, including the
 * database-level setting), except the role check, which needs the catalog of the whole server.
 */
export async function verifySchema(request: VerifyRequest, emit: EmitEvent): Promise<GateReport> {
  const { sessions, profile } = request;
  const recorder = new GateRecorder('VERIFY', emit, 7);
  // Any kept session sees the database's current settings: whoever changes them forgets the database's sessions.
  const app = await sessions.lease(applicationLogin(profile) ?? { database: profile.database.name });
  if (!app.ok) {
    recorder.record({
      id: 'connect',
      title: `Connect as ${profile.applicationRole}`,
      status: 'failed',
      detail: messageWithRemedy(app.error),
    });
    return recorder.finish('failed', app.error);
  }
  const client = app.value.client;
  const guarded = (what: string, work: () => Promise<Outcome>) => async (): Promise<Outcome> => {
    try {
      return await work();
    } catch (error) {
      const e = await withLockHoldersNamed(statementError(error, what), client, profile.database.name);
      return { status: 'failed', detail: withFix(`${e.message} ${e.detail ?? ''}`.trim(), e.remediation) };
    }
  };
  const fromProfile = (work: () => Promise<Outcome>) => async (): Promise<Outcome> => ({ ...(await work()), source: 'profile' });
  // Both migration checks come from one read of the catalog (and, for a fix, one repair).
  let privilegeChecks: Promise<PrivilegeChecks> | null = null;
  const migrationChecks = () =>
    (privilegeChecks ??= request.migrationSql.then((sql) =>
      withRepair(request, migrationRepair(request.reapply), (repair) => checkMigrationPrivileges(client, sql, profile, repair)),
    ));
  try {
    await recorder.step(
      'tables',
      'Expected tables exist',
      guarded(
        'listing tables',
        fromProfile(() => checkTables(client, profile)),
      ),
    );
    await recorder.step(
      'foreign-keys',
      'Foreign keys',
      guarded(
        'reading foreign keys',
        fromProfile(() =>
          withRepair(request, request.reapply === 'foreign-keys' ? 'foreign-keys' : undefined, (repair) => checkForeignKeys(client, profile, repair?.client)),
        ),
      ),
    );
    await recorder.step(
      'roles',
      'Roles exist',
      guarded(
        'listing roles',
        fromProfile(() => checkRoles(client, profile)),
      ),
    );
    await recorder.step(
      'table-grants',
      'Privileges the revisions granted',
      guarded('reading privileges', async () => ({ ...(await migrationChecks()).privileges, source: 'revisions' })),
    );
    await recorder.step(
      'row-level-security',
      'Row-level security the revisions set',
      guarded('reading row security', async () => ({ ...(await migrationChecks()).rowSecurity, source: 'revisions' })),
    );
    await recorder.step(
      'settings',
      'Database-level settings reach new sessions',
      guarded(
        'reading settings',
        fromProfile(() => checkSettings(client, profile)),
      ),
    );
    await recorder.step(
      'alembic-version',
      'alembic_version at the target',
      guarded(
        'reading alembic_version',
        fromProfile(() => checkVersion(client, request.expectedVersions)),
      ),
    );
  } finally {
    // Every check is a plain read: nothing to discard before the session is used again.
    await app.value.release({ stateless: true });
  }
  return recorder.finish();
}

async function checkTables(client: Client, profile: Profile): Promise<Outcome> {
  const tables = (await client.query<{ tablename: string }>(sqlText('e1/select-public-tables'))).rows.map((r) => r.tablename);
  const rows = profile.expectedTables.filter((t) => tables.includes(t)).sort();
  const missing = profile.expectedTables.filter((t) => !tables.includes(t));
  return missing.length
    ? { status: 'failed', detail: `missing ${missing.length} of ${profile.expectedTables.length}: ${missing.join(', ')}`, evidence: { present: rows, missing } }
    : { status: 'passed', detail: `${rows.length} rows: ${rows.join(', ')}`, evidence: { present: rows } };
}

async function checkRoles(client: Client, profile: Profile): Promise<Outcome> {
  const names = profile.roles.map((r) => r.name);
  const present = (await client.query<{ rolname: string }>(sqlText('e1/select-roles'), [names])).rows.map((r) => r.rolname);
  const missing = names.filter((n) => !present.includes(n));
  return missing.length
    ? { status: 'failed', detail: `missing: ${missing.join(', ')}`, evidence: { present, missing } }
    : { status: 'passed', detail: present.join(', '), evidence: { present } };
}

async function checkSettings(client: Client, profile: Profile): Promise<Outcome> {
  const problems: string[] = [];
  const evidence: Record<string, string | null> = {};
  for (const guc of profile.gucs) {
    const value = (await client.query<{ value: string | null }>(sqlText('verify/select-session-setting'), [guc.name])).rows[0]?.value ?? null;
    evidence[guc.name] = value;
    if (value !== guc.value) problems.push(value === null ? `${guc.name} is not defined` : `${guc.name} = '${value}', expected '${guc.value}'`);
  }
  if (profile.gucs.length === 0) return { status: 'skipped', detail: 'the profile defines no settings' };
  return problems.length
    ? { status: 'failed', detail: problems.join('; '), evidence }
    : { status: 'passed', detail: profile.gucs.map((g) => `${g.name} = '${g.value}'`).join(', '), evidence };
}

async function checkVersion(client: Client, expected: string[] | null): Promise<Outcome> {
  const rows = await queryAlembicVersion(client);
  if (expected === null) return { status: 'skipped', detail: `no target known; alembic_version: ${rows?.join(', ') ?? 'absent'}`, evidence: rows };
  if (rows === null) return { status: 'failed', detail: 'no alembic_version table: no migration has run', evidence: rows };
  const want = [...expected].sort();
  const have = [...rows].sort();
  const same = want.length === have.length && want.every((v, i) => v === have[i]);
  return same
    ? { status: 'passed', detail: `at ${have.join(', ')}`, evidence: rows }
    : { status: 'failed', detail: `at ${have.join(', ') || '(empty)'}, expected ${want.join(', ')}`, evidence: rows };
}

/** The migration checks' share of a fix: their repair, or none. */
function migrationRepair(reapply: VerifyRepair | undefined): MigrationRepair | undefined {
  return reapply === 'grants' || reapply === 'row-security' ? reapply : undefined;
}

/** Runs `work` with a superuser session inside the database when it has something to re-apply, without one otherwise. */
async function withRepair<T, W extends VerifyRepair>(
  request: VerifyRequest,
  what: W | undefined,
  work: (repair?: { client: Client; what: W }) => Promise<T>,
): Promise<T> {
  if (!what) return work();
  const lease = await request.sessions.superuser(request.profile.database.name);
  if (!lease.ok) throw new Error(messageWithRemedy(lease.error));
  let broken = false;
  try {
    return await work({ client: lease.value.client, what });
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    await lease.value.release({ broken, stateless: !broken });
  }
}
