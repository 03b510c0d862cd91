import type { SettingsView } from '../contract/settings';
import type { GraphView } from '../graph/graph-view';
import { overlayState } from '../graph/overlay';
import { resolveTarget } from '../graph/resolve-target';
import { SKELDIR_PROFILE } from '../profile/skeldir-profile';
import type { GateReport, RunReport } from '../report/report';

/**
 * The guide's CI/local parity matrix, computed from what the app already knows: the
 * last run report (server, database state, gates), the graph view (to resolve the
 * migration target) and the expectations. Pure, so the same table can be printed by
 * any front and unit-tested without a server.
 */
export type ParityStatus = 'pass' | 'warn' | 'fail';

export type ParityRowId = 'postgres' | 'roles' | 'database' | 'migration-target' | 'tables' | 'guc' | 'tests';

export interface ParityRow {
  id: ParityRowId;
  /** The guide's row name ("PostgreSQL Version"). */
  component: string;
  /** What CI has. */
  expected: string;
  /** What this machine has ("not checked yet" before the first diagnosis). */
  local: string;
  status: ParityStatus;
  /** Why the status is not ✓, in the user's words. */
  note?: string;
}

/** What CI runs, as the profile states it. */
export interface ParityExpectations {
  ciPostgresMajor: number;
  /** e.g. "postgres:15-alpine", shown next to the major. */
  ciPostgresImage?: string;
  roles: string[];
  databaseName: string;
  /** The profile's migration target, e.g. "skeldir_foundation@head". */
  migrationTarget: string;
  tables: string[];
  gucs: string[];
  /** Where CI runs pytest, e.g. "ubuntu-latest". */
  ciTestPlatform: string;
}

const NOT_CHECKED = 'not checked yet';
const RUN_DIAGNOSE = 'Run Diagnose to read this machine\u2019s state.';

/**
 * Expectations from what the renderer has. The renderer never sees the profile object
 * (SettingsView carries only its name and database), so the profile's lists are
 * recovered from the database state E1 reported (present + missing = expected), the
 * target from the graph's plan, and the CI facts from the built-in Skeldir profile.
 */
export function deriveParityExpectations(settings: SettingsView | null, report: RunReport | null, graph: GraphView | null): ParityExpectations {
  const db = report?.database ?? null;
  const ci = SKELDIR_PROFILE.ci;
  // E1 leaves Alembic's own bookkeeping table out of otherTables; it is never a profile table.
  const expectedTables = db
    ? union(db.tables.filter((t) => !db.otherTables.includes(t) && t !== 'alembic_version'), db.missingTables)
    : SKELDIR_PROFILE.expectedTables;
  const customGucs = db?.guc ? Object.keys(db.guc).filter((name) => name.includes('.')) : [];
  return {
    ciPostgresMajor: ci.postgresMajor,
    ciPostgresImage: ci.postgresImage,
    roles: db ? union(db.roles, db.missingRoles) : SKELDIR_PROFILE.roles.map((r) => r.name),
    databaseName: settings?.databaseName || db?.name || SKELDIR_PROFILE.database.name,
    migrationTarget: graph?.plan.target || SKELDIR_PROFILE.migrations.target,
    tables: expectedTables,
    gucs: db ? union(db.missingGucs, customGucs) : SKELDIR_PROFILE.gucs.map((g) => g.name),
    ciTestPlatform: ci.testPlatform,
  };
}

/**
 * One row per line of the guide's table. `lastValidation` is the newest R5 gate seen in
 * any run: a later diagnosis does not run the tests, but their result still stands.
 */
export function parityMatrix(
  expected: ParityExpectations,
  report: RunReport | null,
  graph: GraphView | null,
  lastValidation: GateReport | null = null,
): ParityRow[] {
  return [
    postgresRow(expected, report),
    rolesRow(expected, report),
    databaseRow(expected, report),
    migrationRow(expected, report, graph),
    tablesRow(expected, report),
    gucRow(expected, report),
    testsRow(expected, report, lastValidation),
  ];
}

function postgresRow(expected: ParityExpectations, report: RunReport | null): ParityRow {
  const base = {
    id: 'postgres' as const,
    component: 'PostgreSQL version',
    expected: `${expected.ciPostgresMajor}${expected.ciPostgresImage ? ` (${expected.ciPostgresImage})` : ''}`,
  };
  if (!report) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  const { server } = report;
  if (server.major === null) {
    return { ...base, local: 'not reachable', status: 'fail', note: `PostgreSQL did not answer on ${server.host}:${server.port}.` };
  }
  const local = `${server.version ?? server.major}${server.embedded ? ' (bundled)' : ''}`;
  if (report.findings.some((f) => f.id === 'SERVER-TOO-OLD') || server.major < expected.ciPostgresMajor) {
    return { ...base, local, status: 'fail', note: `Older than CI\u2019s ${expected.ciPostgresMajor}: install PostgreSQL ${expected.ciPostgresMajor} or use the bundled server.` };
  }
  if (server.major > expected.ciPostgresMajor) {
    return { ...base, local, status: 'warn', note: `Newer than CI\u2019s ${expected.ciPostgresMajor}: supported, but behaviour can differ from CI.` };
  }
  return { ...base, local, status: 'pass' };
}

function rolesRow(expected: ParityExpectations, report: RunReport | null): ParityRow {
  const base = { id: 'roles' as const, component: 'Roles', expected: expected.roles.join(', ') };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  const missing = expected.roles.filter((r) => !db.roles.includes(r));
  const present = expected.roles.filter((r) => db.roles.includes(r));
  if (missing.length > 0) {
    return { ...base, local: present.length ? present.join(', ') : 'none', status: 'fail', note: `Missing: ${missing.join(', ')}. Bootstrap (E2) creates them.` };
  }
  return { ...base, local: present.join(', '), status: 'pass' };
}

function databaseRow(expected: ParityExpectations, report: RunReport | null): ParityRow {
  const base = { id: 'database' as const, component: 'Database', expected: expected.databaseName };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  if (!db.exists) return { ...base, local: 'does not exist', status: 'fail', note: 'Bootstrap (E3) creates it.' };
  const local = `${db.name} (owner ${db.owner ?? 'unknown'})`;
  if (report?.findings.some((f) => f.id === 'DATABASE-OWNER')) {
    return { ...base, local, status: 'warn', note: 'Owned by another role than the profile expects: rebuild with \u201cdrop existing database\u201d.' };
  }
  return { ...base, local, status: 'pass' };
}

function migrationRow(expected: ParityExpectations, report: RunReport | null, graph: GraphView | null): ParityRow {
  const db = report?.database;
  const resolved = graph ? resolveTarget(graph.graph, expected.migrationTarget) : null;
  const targetIds = resolved?.ok ? resolved.value.revisions : [];
  const base = {
    id: 'migration-target' as const,
    component: 'Migration target',
    expected: targetIds.length ? `${expected.migrationTarget} (${targetIds.join(', ')})` : expected.migrationTarget,
  };
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  const rows = db.exists ? db.alembicVersion : null;
  const local = rows === null || rows.length === 0 ? 'no revision applied' : rows.join(', ');
  if (rows === null || rows.length === 0) return { ...base, local, status: 'fail', note: 'No migration has run: Rebuild runs the planned upgrade.' };
  if (!graph || !resolved) return { ...base, local, status: 'warn', note: 'Set the repository folder in Setup to compare with the migration graph.' };
  if (!resolved.ok) return { ...base, local, status: 'warn', note: resolved.error.message };
  const overlay = overlayState(graph.graph, rows);
  if (overlay.unknownRows.length > 0) {
    return { ...base, local, status: 'fail', note: `alembic_version names ${overlay.unknownRows.join(', ')}, which this repository does not have.` };
  }
  const missing = targetIds.filter((id) => overlay.states[id] === 'pending');
  if (missing.length > 0) return { ...base, local, status: 'fail', note: `Not reached: ${missing.join(', ')} (${overlay.pending.length} revisions pending).` };
  return { ...base, local, status: 'pass' };
}

function tablesRow(expected: ParityExpectations, report: RunReport | null): ParityRow {
  const n = expected.tables.length;
  const base = { id: 'tables' as const, component: 'Tables', expected: `${n} core tables: ${expected.tables.join(', ')}` };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  if (!db.exists) return { ...base, local: 'no database', status: 'fail', note: 'The database does not exist yet.' };
  const present = expected.tables.filter((t) => db.tables.includes(t));
  const missing = expected.tables.filter((t) => !db.tables.includes(t));
  const local = `${present.length} of ${n} present`;
  if (missing.length > 0) return { ...base, local, status: 'fail', note: `Missing: ${missing.join(', ')}.` };
  return { ...base, local, status: 'pass' };
}

function gucRow(expected: ParityExpectations, report: RunReport | null): ParityRow {
  const base = { id: 'guc' as const, component: 'Custom GUC', expected: expected.gucs.join(', ') || 'none' };
  const db = report?.database;
  if (!db) return { ...base, local: NOT_CHECKED, status: 'warn', note: RUN_DIAGNOSE };
  if (!db.exists || db.guc === null) return { ...base, local: 'no database', status: 'fail', note: 'The database does not exist yet.' };
  const missing = expected.gucs.filter((name) => db.missingGucs.includes(name) || db.guc?.[name] === undefined);
  const set = expected.gucs.filter((name) => !missing.includes(name)).map((name) => `${name} = '${db.guc?.[name]}'`);
  if (missing.length > 0) {
    return { ...base, local: set.join(', ') || 'not set', status: 'fail', note: `Not set on the database: ${missing.join(', ')} (failure 3). Bootstrap step 8 sets it.` };
  }
  return { ...base, local: set.join(', ') || 'none', status: 'pass' };
}

function testsRow(expected: ParityExpectations, report: RunReport | null, lastValidation: GateReport | null): ParityRow {
  const base = { id: 'tests' as const, component: 'Test execution', expected: `pytest (${expected.ciTestPlatform})` };
  const gate = report?.gates.find((g) => g.id === 'R5' && g.status !== 'blocked') ?? lastValidation;
  if (!gate) return { ...base, local: 'not run yet', status: 'warn', note: 'Rebuild runs the validation tests (R5).' };
  const counts = countCases(gate);
  const summary = counts ? `: ${counts.passed} passed${counts.failed ? `, ${counts.failed} failed` : ''}` : '';
  switch (gate.status) {
    case 'passed':
      return { ...base, local: `pytest passed${summary}`, status: 'pass' };
    case 'failed': {
      const nested = report?.findings.some((f) => f.id === 'FM4');
      return {
        ...base,
        local: `pytest failed${summary}`,
        status: 'fail',
        note: nested ? 'Nested event loop in _run_async (failure 4): a test-infrastructure bug, not a schema problem.' : 'See Test results for the failing tests.',
      };
    }
    case 'skipped':
      return { ...base, local: 'skipped', status: 'warn', note: 'The last rebuild skipped validation.' };
    default:
      return { ...base, local: gate.status, status: 'warn', note: 'The tests have not completed.' };
  }
}

/** Passed/failed counts from R5's details.suites, when present. */
function countCases(gate: GateReport): { passed: number; failed: number } | null {
  const suites = gate.details?.suites;
  if (!Array.isArray(suites)) return null;
  let passed = 0;
  let failed = 0;
  for (const suite of suites as Array<Record<string, unknown>>) {
    passed += typeof suite.passed === 'number' ? suite.passed : 0;
    failed += (typeof suite.failed === 'number' ? suite.failed : 0) + (typeof suite.errors === 'number' ? suite.errors : 0);
  }
  return { passed, failed };
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
