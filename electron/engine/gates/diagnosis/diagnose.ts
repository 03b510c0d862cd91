import { messageWithRemedy } from '../../../../shared/errors/app-error';
import type { Sessions } from '../../db/run-sessions';
import type { EmitEvent } from '../../../../shared/contract/events';
import type { Profile } from '../../../../shared/profile/schema';
import type { AppError } from '../../../../shared/errors/app-error';
import type { PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import type { DatabaseState, Finding, GateReport, StepReport } from '../../../../shared/report/report';
import { stateFindings } from './state-findings';
import { prerequisiteFindings } from './prerequisite-findings';
import { withFix } from '../../../../shared/report/step-findings';
import { GateRecorder } from '../gate-recorder';
import { relationsGone, relationsGoneFinding, schemaCheckFindings } from '../verify/verify-findings';
import type { MigrationSql } from '../verify/check-migration-privileges';
import { readServerState, type ServerState } from './read-database-state';
import { describeSnapshotUsage, readSnapshotUsage } from './snapshot-usage';
import { halfMadeCopiesFinding } from '../findings/copy-findings';
import { makeFinding, withAction } from '../findings/make-finding';
import { withoutUpgradeWhenAhead, type TablesRead } from '../findings/graph-findings';
import { readOnlySchemaChecks } from './schema-checks';

/** Findings that say the database stands where no upgrade can simply carry it on: the graph-position step fails with them. */
const POSITION_ERRORS = new Set(['UNKNOWN-REVISION', 'VERSION-ROWS-OVERLAP', 'BRANCH-ONLY', 'SCHEMA-AHEAD-OF-VERSION']);
export interface DiagnosisResult {
  gate: GateReport;
  state: ServerState;
  findings: Finding[];
}

type StepOutcome = Omit<StepReport, 'id' | 'title' | 'durationMs'>;

/** What E1 can add when it knows the repository. */
export interface DiagnosisExtras {
  prerequisites?: PrerequisiteReport | null;
  /** Graph-aware findings for the database's alembic_version rows (null: no table) and its tables (null: no database). */
  graphFindings?: (rows: string[] | null, tables: TablesRead | null) => { findings: Finding[]; summary: string | null };
  projectError?: AppError;
  /**
   * Run VERIFY's foreign-key, grant and row-level security checks too, read-only, against
   * this offline SQL (a run that includes VERIFY leaves them to it, so nothing is said twice).
   */
  schemaChecks?: { migrationSql: () => Promise<MigrationSql>; targetVersions: string[] | null };
  /** Why the application role's login is not tried this time (see ConnectionCheck.notChecked). */
  loginNotChecked?: string;
}

/**
 * Gate E1: the guide's ground-truth diagnosis, read-only. Each fact the guide's
 * psql/alembic commands show becomes a step with evidence; the symptoms become findings.
 */
export async function diagnose(sessions: Sessions, profile: Profile, emit: EmitEvent, extras: DiagnosisExtras = {}): Promise<DiagnosisResult> {
  const recorder = new GateRecorder('E1', emit);
  const state = await readServerState(sessions, profile, { loginNotChecked: extras.loginNotChecked });
  const migrationSql = extras.schemaChecks ? await extras.schemaChecks.migrationSql() : null;
  const findings = stateFindings(state, profile);
  // Every step is known before the first is shown, so each reads "[k/n]" like every other gate's.
  const steps: StepReport[] = describeState(state, profile).map(([id, title, outcome]) => ({
    id,
    title,
    ...outcome,
  }));
  const readable = Boolean(state.database?.exists && !state.database.invalid && !state.database.insideError);
  if (migrationSql && readable && state.database) {
    const schemaSteps = await readOnlySchemaChecks({
      sessions,
      profile,
      migrationSql: Promise.resolve(migrationSql),
      missingTables: state.database.missingTables,
      alembicVersion: state.database.alembicVersion,
      targetVersions: extras.schemaChecks?.targetVersions ?? null,
    });
    // Before alembic_version, as in VERIFY.
    steps.splice(Math.max(0, steps.length - 1), 0, ...schemaSteps);
    findings.push(...schemaCheckFindings(schemaSteps, 'E1'));
  }
  if (state.database) {
    const usage = await readSnapshotUsage(sessions, profile);
    const snapshots = describeSnapshotUsage(usage, profile);
    if (snapshots.step) steps.push(snapshots.step);
    if (snapshots.finding) findings.push(snapshots.finding);
    const halfMade = halfMadeCopiesFinding(usage?.halfMade ?? []);
    if (halfMade) {
      steps.push({ id: 'half-made-copies', title: 'Half-made copies', status: 'warning', detail: halfMade.evidence });
      findings.push(halfMade);
    }
  }
  if (extras.projectError) {
    steps.push({
      id: 'repository',
      title: 'Backend repository',
      status: 'failed',
      detail: messageWithRemedy(extras.projectError),
      evidence: extras.projectError.detail,
      ...(extras.projectError.action ? { action: extras.projectError.action } : {}),
    });
    findings.push(withAction(makeFinding('REPOSITORY-UNUSABLE', messageWithRemedy(extras.projectError)), extras.projectError.action));
  }
  // Where the database stands in the graph is unknown when its alembic_version could not be read.
  if (extras.graphFindings && state.database && !state.database.insideError) {
    const { exists, alembicVersion, tables, missingTables } = state.database;
    const graph = extras.graphFindings(exists ? alembicVersion : null, exists ? { present: tables, missing: missingTables } : null);
    // Rows Alembic cannot plan from (a revision it does not know, a row beside its own ancestor),
    // one branch standing without the others, or rows behind the schema fail the step: its ✓
    // must not sit beside the error finding that says where the database really stands.
    const misplaced = graph.findings.some((f) => POSITION_ERRORS.has(f.id));
    if (graph.summary)
      steps.push({ id: 'graph-position', title: 'Position in the migration graph', status: misplaced ? 'failed' : 'passed', detail: graph.summary });
    // Said why against the graph, missing tables are no longer the planned upgrade's to fix.
    if (graph.findings.some((f) => f.id === 'TABLES-DROPPED' || f.id === 'SCHEMA-UNRECORDED')) {
      const plain = findings.filter((f) => f.id === 'TABLES-MISSING' || f.id === 'CELERY-ONLY');
      for (const finding of plain) findings.splice(findings.indexOf(finding), 1);
    }
    findings.push(...graph.findings);
    findings.splice(0, findings.length, ...withoutUpgradeWhenAhead(findings));
    sayRelationsGone(findings, relationsGone(steps, missingTables));
  }
  for (const check of extras.prerequisites?.checks ?? []) {
    steps.push({
      id: `prerequisite-${check.id}`,
      title: check.title,
      status: check.ok ? 'passed' : check.level === 'warning' ? 'warning' : 'failed',
      detail: check.ok ? check.detail : withFix(check.detail, check.fix),
      ...(!check.ok && check.action ? { action: check.action } : {}),
    });
  }
  findings.push(...prerequisiteFindings(extras.prerequisites ?? null));
  recorder.expectSteps(steps.length);
  for (const step of steps) recorder.record(step);
  for (const finding of findings) emit({ kind: 'finding', finding });
  // E1 is a diagnosis: it passes when it could read the server, whatever it found.
  const gate = recorder.finish(state.database ? 'passed' : 'failed', state.database ? undefined : state.error);
  return { gate, state, findings };
}

/**
 * Relations the revisions grant on or secure, gone although they ran, as TABLES-DROPPED: added
 * to the one the graph reading made for the profile's tables, or as one of their own.
 */
function sayRelationsGone(findings: Finding[], gone: string[]): void {
  if (gone.length === 0) return;
  const index = findings.findIndex((finding) => finding.id === 'TABLES-DROPPED');
  if (index >= 0) findings[index] = { ...findings[index], evidence: `${findings[index].evidence} Also missing: ${gone.join(', ')}.` };
  else findings.push(relationsGoneFinding(gone));
}

function describeState(state: ServerState, profile: Profile): Array<[string, string, StepOutcome]> {
  const steps: Array<[string, string, StepOutcome]> = [];
  const { server, database, superuser } = state;
  if (!database) {
    steps.push([
      'connect',
      `Connect to ${server.host}:${server.port} as ${superuser?.role ?? 'the superuser'}`,
      {
        status: 'failed',
        detail: state.error ? messageWithRemedy(state.error) : 'not reachable',
        ...(state.error?.action ? { action: state.error.action } : {}),
      },
    ]);
    return steps;
  }
  const versionOk = (server.major ?? 0) >= profile.minimumServerMajor;
  steps.push([
    'server-version',
    'Server version',
    {
      status: versionOk ? 'passed' : 'failed',
      detail: `PostgreSQL ${server.version}${server.embedded ? ' (bundled)' : ''}; profile needs ${profile.minimumServerMajor}+`,
      evidence: { version: server.version, major: server.major },
    },
  ]);
  if (superuser) {
    const able = superuser.isSuperuser || (superuser.canCreateRole && superuser.canCreateDb);
    steps.push([
      'superuser',
      `Login role "${superuser.role}" can bootstrap`,
      {
        status: able ? 'passed' : 'warning',
        detail: able
          ? superuser.isSuperuser
            ? 'superuser'
            : 'can create roles and databases'
          : `"${superuser.role}" is not a superuser and cannot create roles/databases: bootstrap will fail. Connect as "postgres".`,
        evidence: superuser,
      },
    ]);
  }
  steps.push(['roles', 'Roles', rolesStep(database)]);
  steps.push([
    'database',
    `Database "${database.name}"`,
    {
      status: database.exists ? (database.owner === profile.database.owner ? 'passed' : 'warning') : 'failed',
      detail: database.exists ? `exists, owned by ${database.owner}` : 'does not exist',
      evidence: { exists: database.exists, owner: database.owner },
    },
  ]);
  if (!database.exists) return steps;
  for (const connection of database.connections) {
    steps.push([
      `login-${connection.role}`,
      `"${connection.role}" can log in to ${connection.database}`,
      connection.notChecked
        ? { status: 'skipped', detail: connection.notChecked }
        : { status: connection.ok ? 'passed' : 'failed', detail: connection.ok ? 'yes' : (connection.error?.message ?? 'no') },
    ]);
  }
  if (database.insideError) {
    steps.push([
      'inside-database',
      `Read tables and alembic_version of ${database.name}`,
      {
        // An invalid or closed database has its own finding; any other unreadable database is a problem of its own, with its remedy.
        status: database.invalid || database.closed ? 'warning' : 'failed',
        detail: withFix(`${database.insideError} Tables and migration state are unknown.`, database.insideRemediation),
      },
    ]);
  }
  // What could not be read is unknown, not missing: no verdict on tables or alembic_version.
  const unknown: StepOutcome | null = database.insideError
    ? { status: 'skipped', detail: `unknown: ${database.name} could not be read (see \u201cRead tables and alembic_version\u201d)` }
    : null;
  steps.push([
    'tables',
    'Expected tables',
    unknown ?? {
      status: database.missingTables.length ? 'failed' : 'passed',
      detail: database.missingTables.length
        ? `missing ${database.missingTables.length} of ${profile.expectedTables.length}: ${database.missingTables.join(', ')}`
        : `all ${profile.expectedTables.length} present`,
      evidence: { tables: database.tables, missing: database.missingTables, other: database.otherTables },
    },
  ]);
  steps.push([
    'guc',
    'Database-level settings',
    {
      status: database.missingGucs.length ? 'failed' : 'passed',
      detail: database.missingGucs.length ? `not set: ${database.missingGucs.join(', ')}` : profile.gucs.map((g) => `${g.name} = '${g.value}'`).join(', '),
      evidence: database.guc,
    },
  ]);
  steps.push([
    'alembic-version',
    'alembic_version',
    unknown ?? {
      status: 'passed',
      detail:
        database.alembicVersion === null
          ? 'no alembic_version table (no migration has run)'
          : database.alembicVersion.length === 0
            ? 'empty'
            : database.alembicVersion.join(', '),
      evidence: database.alembicVersion,
    },
  ]);
  return steps;
}

/** The profile's roles: missing ones, and present ones that cannot log in (each must: the app, Alembic and pytest connect as them). */
function rolesStep(database: DatabaseState): Omit<StepReport, 'id' | 'title'> {
  const noLogin = database.rolesWithoutLogin ?? [];
  const present = `present: ${database.roles.join(', ')}${noLogin.length ? `; cannot log in (NOLOGIN): ${noLogin.join(', ')}` : ''}`;
  return {
    status: database.missingRoles.length || noLogin.length ? 'failed' : 'passed',
    detail: database.missingRoles.length ? `missing: ${database.missingRoles.join(', ')}${database.roles.length ? `; ${present}` : ''}` : present,
    evidence: { present: database.roles, missing: database.missingRoles, ...(noLogin.length ? { withoutLogin: noLogin } : {}) },
  };
}
