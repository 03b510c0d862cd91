import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../shared/contract/settings';
import { buildGraph } from '../../../shared/graph/build-graph';
import type { GraphView } from '../../../shared/graph/graph-view';
import { buildPlanView } from '../../../shared/graph/plan-view';
import { deriveParityExpectations, parityMatrix, type ParityRow } from '../../../shared/parity/parity-matrix';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import type { DatabaseState, GateReport, RunReport } from '../../../shared/report/report';
import { guideRevisions } from '../graph/graph-fixtures';

const TABLES = ['tenants', 'attribution_events', 'attribution_allocations', 'attribution_recompute_jobs', 'kombu_queue', 'worker_failed_jobs'];
const GUC = 'app.current_tenant_id';

function graphView(): GraphView {
  const graph = buildGraph(guideRevisions());
  return { repoDir: '/repo', iniPath: '/repo/alembic.ini', graph, overlay: null, plan: buildPlanView(graph, SKELDIR_PROFILE, []), hazards: [] };
}

const settings: SettingsView = {
  connection: { mode: 'embedded', host: 'localhost', port: 5432, superuser: 'postgres', hasPassword: false, canStorePassword: false },
  repoDir: '/repo',
  python: '',
  profilePath: '',
  profileName: SKELDIR_PROFILE.name,
  databaseName: 'skeldir_validation',
};

function database(overrides: Partial<DatabaseState> = {}): DatabaseState {
  return {
    name: 'skeldir_validation',
    exists: true,
    owner: 'app_user',
    roles: ['app_ro', 'app_rw', 'app_user'],
    missingRoles: [],
    tables: [...TABLES, 'alembic_version', 'kombu_message'],
    missingTables: [],
    // As E1 reports it: alembic_version is listed in tables but never in otherTables.
    otherTables: ['kombu_message'],
    guc: { [GUC]: '00000000-0000-0000-0000-000000000000' },
    missingGucs: [],
    alembicVersion: ['202512151400'],
    connections: [],
    ...overrides,
  };
}

function r5(status: GateReport['status'], passed = 8, failed = 0): GateReport {
  return {
    id: 'R5',
    status,
    durationMs: 1200,
    steps: [],
    details: { suites: [{ suite: 'a.py', passed, failed, errors: 0, skipped: 0, cases: [] }] },
  };
}

function report(db: DatabaseState | null, overrides: Partial<RunReport> = {}): RunReport {
  return {
    command: 'rebuild',
    startedAt: '2025-12-15T14:00:00.000Z',
    server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
    gates: [r5('passed')],
    findings: [],
    database: db,
    ...overrides,
  };
}

const byId = (rows: ParityRow[]) => Object.fromEntries(rows.map((row) => [row.id, row]));

describe('deriveParityExpectations', () => {
  it('recovers the profile lists from the database state E1 reported', () => {
    const expected = deriveParityExpectations(settings, report(database()), graphView());
    expect(expected.ciPostgresMajor).toBe(15);
    expect(expected.roles.sort()).toEqual(['app_ro', 'app_rw', 'app_user']);
    expect(expected.tables.sort()).toEqual([...TABLES].sort());
    expect(expected.gucs).toEqual([GUC]);
    expect(expected.databaseName).toBe('skeldir_validation');
    expect(expected.migrationTarget).toBe('skeldir_foundation@head');
    expect(expected.ciTestPlatform).toBe('ubuntu-latest');
  });

  it('counts missing items as expected ones', () => {
    const db = database({ roles: ['app_user'], missingRoles: ['app_rw', 'app_ro'], tables: ['kombu_queue'], otherTables: [], missingTables: TABLES.filter((t) => t !== 'kombu_queue'), guc: {}, missingGucs: [GUC] });
    const expected = deriveParityExpectations(settings, report(db), null);
    expect(expected.roles.sort()).toEqual(['app_ro', 'app_rw', 'app_user']);
    expect(expected.tables.sort()).toEqual([...TABLES].sort());
    expect(expected.gucs).toEqual([GUC]);
  });

  it('falls back to the built-in profile before any diagnosis', () => {
    const expected = deriveParityExpectations(null, null, null);
    expect(expected.roles).toEqual(['app_user', 'app_rw', 'app_ro']);
    expect(expected.tables).toEqual(TABLES);
  });
});

describe('parityMatrix', () => {
  it('after a full rebuild every row of the guide is ✓', () => {
    const graph = graphView();
    const r = report(database());
    const rows = parityMatrix(deriveParityExpectations(settings, r, graph), r, graph);
    expect(rows.map((row) => row.id)).toEqual(['postgres', 'roles', 'database', 'migration-target', 'tables', 'guc', 'tests']);
    expect(rows.map((row) => [row.id, row.status])).toEqual(rows.map((row) => [row.id, 'pass']));
    const rowMap = byId(rows);
    expect(rowMap.postgres.local).toBe('15.18 (bundled)');
    expect(rowMap['migration-target'].expected).toBe('skeldir_foundation@head (202512151400)');
    expect(rowMap.tables.local).toBe('6 of 6 present');
    expect(rowMap.tests.local).toBe('pytest passed: 8 passed');
  });

  it('before any diagnosis every row asks for one (⚠), none claims parity', () => {
    const rows = parityMatrix(deriveParityExpectations(null, null, null), null, null);
    expect(rows.every((row) => row.status === 'warn')).toBe(true);
    expect(byId(rows).roles.local).toBe('not checked yet');
  });

  it('the guide\u2019s broken E1 state: roles missing, celery branch only, GUC unset', () => {
    const graph = graphView();
    const db = database({
      roles: ['app_user'],
      missingRoles: ['app_rw', 'app_ro'],
      tables: ['kombu_queue', 'worker_failed_jobs', 'alembic_version'],
      otherTables: ['alembic_version'],
      missingTables: ['tenants', 'attribution_events', 'attribution_allocations', 'attribution_recompute_jobs'],
      guc: {},
      missingGucs: [GUC],
      alembicVersion: ['202512151200'],
    });
    const r = report(db, { command: 'diagnose', gates: [] });
    const rows = byId(parityMatrix(deriveParityExpectations(settings, r, graph), r, graph));
    expect(rows.roles).toMatchObject({ status: 'fail', local: 'app_user' });
    expect(rows.roles.note).toContain('app_rw, app_ro');
    expect(rows['migration-target']).toMatchObject({ status: 'fail', local: '202512151200' });
    expect(rows['migration-target'].note).toContain('202512151400');
    expect(rows.tables).toMatchObject({ status: 'fail', local: '2 of 6 present' });
    expect(rows.guc.status).toBe('fail');
    expect(rows.tests).toMatchObject({ status: 'warn', local: 'not run yet' });
  });

  it('a newer server is ⚠, an older one ✗, an unreachable one ✗', () => {
    const expected = deriveParityExpectations(settings, null, null);
    const newer = report(database(), { server: { host: 'localhost', port: 5432, version: '16.4', major: 16, embedded: false } });
    expect(byId(parityMatrix(expected, newer, null)).postgres).toMatchObject({ status: 'warn', local: '16.4' });
    const older = report(database(), { server: { host: 'localhost', port: 5432, version: '14.9', major: 14, embedded: false } });
    expect(byId(parityMatrix(expected, older, null)).postgres.status).toBe('fail');
    const down = report(null, { server: { host: 'localhost', port: 5432, version: null, major: null, embedded: false } });
    expect(byId(parityMatrix(expected, down, null)).postgres).toMatchObject({ status: 'fail', local: 'not reachable' });
  });

  it('test execution follows R5, falling back to the last R5 seen when a later diagnosis did not run it', () => {
    const graph = graphView();
    const expected = deriveParityExpectations(settings, null, graph);
    const failed = report(database(), { findings: [{ id: 'FM4', severity: 'error', title: 'Nested event loop', evidence: 'x', remediation: null }], gates: [r5('failed', 4, 4)] });
    const row = byId(parityMatrix(expected, failed, graph)).tests;
    expect(row).toMatchObject({ status: 'fail', local: 'pytest failed: 4 passed, 4 failed' });
    expect(row.note).toContain('failure 4');
    const diagnosis = report(database(), { command: 'diagnose', gates: [] });
    expect(byId(parityMatrix(expected, diagnosis, graph, r5('passed'))).tests.status).toBe('pass');
    expect(byId(parityMatrix(expected, report(database(), { gates: [r5('skipped')] }), graph)).tests.status).toBe('warn');
  });

  it('alembic_version naming a revision the repo lacks is ✗; no graph is ⚠', () => {
    const graph = graphView();
    const expected = deriveParityExpectations(settings, null, graph);
    const foreign = report(database({ alembicVersion: ['deadbeef'] }));
    expect(byId(parityMatrix(expected, foreign, graph))['migration-target'].status).toBe('fail');
    expect(byId(parityMatrix(expected, report(database()), null))['migration-target'].status).toBe('warn');
  });

  it('a missing database fails the database, tables and GUC rows', () => {
    const db = database({ exists: false, owner: null, tables: [], otherTables: [], missingTables: TABLES, guc: null, missingGucs: [GUC], alembicVersion: null });
    const r = report(db, { gates: [] });
    const rows = byId(parityMatrix(deriveParityExpectations(settings, r, null), r, null));
    expect(rows.database).toMatchObject({ status: 'fail', local: 'does not exist' });
    expect(rows.tables.status).toBe('fail');
    expect(rows.guc.status).toBe('fail');
    expect(rows['migration-target'].status).toBe('fail');
  });
});
