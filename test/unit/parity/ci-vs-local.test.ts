import { describe, expect, it } from 'vitest';
import { ciExpectationsFromProfile, pytestPaths, type CiExpectations } from '../../../shared/parity/ci-expectations';
import { compareCiWithLocal, type CiParityRow, type LocalFacts } from '../../../shared/parity/ci-vs-local';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import type { DatabaseState, Finding, GateReport, RunReport } from '../../../shared/report/report';

/** The matrix of CI (as the sample project's ci.yml states it) against local states, row by row. */
const TABLES = ['tenants', 'attribution_events', 'attribution_allocations', 'attribution_recompute_jobs', 'kombu_queue', 'worker_failed_jobs'];
const GUC = 'app.current_tenant_id';
const ZERO = '00000000-0000-0000-0000-000000000000';

function ciFromWorkflow(overrides: Partial<CiExpectations> = {}): CiExpectations {
  return {
    source: 'workflow',
    files: ['.github/workflows/ci.yml'],
    postgresImage: 'postgres:15-alpine',
    postgresMajor: 15,
    postgresMajors: [15],
    roles: ['app_user', 'app_rw', 'app_ro'],
    database: 'skeldir_validation',
    migrationSteps: ['202511131121', 'skeldir_foundation@head'],
    gucs: { [GUC]: ZERO },
    pytestCommands: ['cd backend && pytest tests/test_b052_queue_topology_and_dlq.py -v', 'cd backend && pytest tests/test_b0532_window_idempotency.py -v'],
    platform: 'ubuntu-latest',
    pythonVersion: '3.11',
    notes: [],
    ...overrides,
  };
}

function database(overrides: Partial<DatabaseState> = {}): DatabaseState {
  return {
    name: 'skeldir_validation',
    exists: true,
    owner: 'app_user',
    roles: ['app_ro', 'app_rw', 'app_user'],
    missingRoles: [],
    tables: [...TABLES, 'alembic_version'],
    missingTables: [],
    otherTables: ['alembic_version'],
    guc: { [GUC]: ZERO },
    missingGucs: [],
    alembicVersion: ['202512151400'],
    connections: [],
    ...overrides,
  };
}

function report(db: DatabaseState | null, overrides: Partial<RunReport> = {}): RunReport {
  return {
    command: 'diagnose',
    startedAt: '2025-12-15T14:00:00.000Z',
    server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: false },
    gates: [],
    findings: [],
    database: db,
    ...overrides,
  };
}

const TWO_STEP = { steps: [{ target: '202511131121' }, { target: 'skeldir_foundation@head' }], target: 'skeldir_foundation@head' };
const SUITES = ['backend/tests/test_b0532_window_idempotency.py', 'backend/tests/test_b052_queue_topology_and_dlq.py'];

function r5(status: GateReport['status'], passed = 6, failed = 0): GateReport {
  return { id: 'R5', status, durationMs: 900, steps: [], details: { suites: [{ suite: SUITES[0], passed, failed, errors: 0 }] } };
}

function rows(ci: CiExpectations, local: LocalFacts): Record<string, CiParityRow> {
  return Object.fromEntries(compareCiWithLocal(ci, local).map((r) => [r.id, r]));
}

describe('a machine in parity with CI', () => {
  it('is ok on every row, and the migration row says the plan is the same', () => {
    const result = compareCiWithLocal(ciFromWorkflow(), {
      report: report(database(), { gates: [r5('passed')] }),
      plan: TWO_STEP,
      python: { version: '3.11.9' },
      platform: 'linux',
      validationSuites: SUITES,
    });
    expect(result.map((r) => r.id)).toEqual(['postgres', 'roles', 'database', 'migrations', 'tables', 'guc', 'tests']);
    expect(result.map((r) => `${r.id}:${r.status}`)).toEqual(result.map((r) => `${r.id}:ok`));
    const migrations = result.find((r) => r.id === 'migrations');
    expect(migrations?.note).toBe('CI runs `alembic upgrade 202511131121` then `alembic upgrade skeldir_foundation@head`; local plan: the same.');
    expect(result.find((r) => r.id === 'postgres')?.ci).toBe('15 (postgres:15-alpine)');
    expect(result.find((r) => r.id === 'tables')?.local).toBe('6 of 6 present');
  });
});

describe('the guide\u2019s broken states', () => {
  it('FM2-like: app_rw and app_ro missing is an error that bootstrap fixes', () => {
    const r = rows(ciFromWorkflow(), { report: report(database({ roles: ['app_user'], missingRoles: ['app_ro', 'app_rw'] })), plan: TWO_STEP });
    expect(r.roles.status).toBe('error');
    expect(r.roles.local).toBe('app_user');
    expect(r.roles.note).toMatch(/Missing: app_rw, app_ro\. Bootstrap \(E2\) creates them\./);
  });

  it('FM3: the GUC not set is an error naming failure 3; a different value is a warning', () => {
    const missing = rows(ciFromWorkflow(), { report: report(database({ guc: {}, missingGucs: [GUC] })), plan: TWO_STEP });
    expect(missing.guc.status).toBe('error');
    expect(missing.guc.note).toMatch(/failure 3/);
    const other = rows(ciFromWorkflow(), { report: report(database({ guc: { [GUC]: 'x' } })), plan: TWO_STEP });
    expect(other.guc.status).toBe('warn');
    expect(other.guc.note).toMatch(/'x' here, '0{8}-0{4}-0{4}-0{4}-0{12}' in CI/);
  });

  it('missing tables and a missing database are errors', () => {
    const partial = rows(ciFromWorkflow(), {
      report: report(database({ tables: ['kombu_queue', 'worker_failed_jobs'], missingTables: TABLES.slice(0, 4) })),
      plan: TWO_STEP,
    });
    expect(partial.tables.status).toBe('error');
    expect(partial.tables.local).toBe('2 of 6 present');
    const none = rows(ciFromWorkflow(), { report: report(database({ exists: false, guc: null })), plan: TWO_STEP });
    expect(none.database.status).toBe('error');
    expect(none.database.note).toMatch(/Bootstrap \(E3\) creates it/);
  });

  it('Windows with R5 failing on the nested event loop is the guide\u2019s \u26a0 row, not an error', () => {
    const fm4: Finding = { id: 'FM4', severity: 'error', title: 'Nested event loop', evidence: 'asyncio.run()', remediation: null };
    const r = rows(ciFromWorkflow(), {
      report: report(database(), { gates: [r5('failed', 2, 2)], findings: [fm4] }),
      plan: TWO_STEP,
      python: { version: '3.11.7' },
      platform: 'win32',
    });
    expect(r.tests.status).toBe('warn');
    expect(r.tests.ci).toBe(
      'pytest (ubuntu-latest, Python 3.11): backend/tests/test_b052_queue_topology_and_dlq.py, backend/tests/test_b0532_window_idempotency.py',
    );
    expect(r.tests.local).toBe('pytest (Windows, Python 3.11.7): R5 failed (2 passed, 2 failed)');
    expect(r.tests.note).toMatch(/Event loop issue \(failure 4\)/);
    expect(r.tests.note).toMatch(/CI runs the tests on ubuntu-latest, this machine on Windows/);
  });

  it('R5 failing for another reason is an error; no interpreter is an error; another Python minor is a warning', () => {
    expect(rows(ciFromWorkflow(), { report: report(database(), { gates: [r5('failed', 1, 3)] }), plan: TWO_STEP }).tests.status).toBe('error');
    expect(rows(ciFromWorkflow(), { report: report(database()), plan: TWO_STEP, python: null }).tests.status).toBe('error');
    const other = rows(ciFromWorkflow(), { report: report(database()), plan: TWO_STEP, python: { version: '3.12.1' }, lastValidation: r5('passed') });
    expect(other.tests.status).toBe('warn');
    expect(other.tests.note).toMatch(/CI sets up Python 3\.11; this machine has 3\.12\.1/);
  });

  it('a file two CI steps run (with and without coverage) is listed once', () => {
    const extra = 'backend/tests/test_channel_normalization.py';
    const ci = ciFromWorkflow({
      pytestCommands: [
        ...ciFromWorkflow().pytestCommands,
        `cd backend && pytest tests/test_channel_normalization.py -v`,
        `cd backend && pytest tests/test_channel_normalization.py --cov=app --cov-fail-under=80`,
      ],
    });
    const r = rows(ci, { report: report(database(), { gates: [r5('passed')] }), plan: TWO_STEP, validationSuites: SUITES });
    expect(r.tests.ci.split(extra)).toHaveLength(2);
    expect(r.tests.note).toContain(`CI also runs ${extra}, which R5 does not.`);
  });
});

describe('migration steps', () => {
  const ci = ciFromWorkflow();
  const at = (rowsOf: string[]) => report(database({ alembicVersion: rowsOf }));

  it('a plan with only the last step (the first has nothing left to run) is ok', () => {
    const r = rows(ci, { report: at(['202511131121']), plan: { steps: [{ target: 'skeldir_foundation@head' }], target: 'skeldir_foundation@head' } });
    expect(r.migrations.status).toBe('ok');
    expect(r.migrations.note).toMatch(/only \(the earlier steps have nothing left to run here\)/);
  });

  it('nothing to run at the target is ok', () => {
    const r = rows(ci, { report: at(['202512151400']), plan: { steps: [], target: 'skeldir_foundation@head' } });
    expect(r.migrations.status).toBe('ok');
    expect(r.migrations.local).toBe('nothing to run (at 202512151400)');
  });

  it('other steps to the same target are a warning; another target is an error', () => {
    const single = rows(ci, { report: at([]), plan: { steps: [{ target: 'skeldir_foundation@head' }] } });
    expect(single.migrations.status).toBe('ok'); // a suffix of CI's steps
    const other = rows(ci, { report: at([]), plan: { steps: [{ target: 'core@head' }, { target: 'skeldir_foundation@head' }] } });
    expect(other.migrations.status).toBe('warn');
    const elsewhere = rows(ci, { report: at([]), plan: { steps: [{ target: 'heads' }], target: 'heads' } });
    expect(elsewhere.migrations.status).toBe('error');
    expect(elsewhere.migrations.note).toMatch(/the local plan upgrades to heads/);
  });

  it('no plan, or a CI that runs no upgrade, is a warning', () => {
    expect(rows(ci, { report: at([]), plan: null }).migrations.status).toBe('warn');
    expect(rows(ciFromWorkflow({ migrationSteps: [] }), { report: at([]), plan: TWO_STEP }).migrations.status).toBe('warn');
  });
});

describe('PostgreSQL versions and roles', () => {
  it('a matrix accepts any of its majors; older is an error, newer a warning, unreachable an error', () => {
    const matrix = ciFromWorkflow({ postgresMajors: [15, 16], postgresImage: 'postgres:15-alpine' });
    const on16 = rows(matrix, { report: report(database(), { server: { host: 'h', port: 1, version: '16.4', major: 16, embedded: false } }), plan: TWO_STEP });
    expect(on16.postgres.status).toBe('ok');
    expect(on16.postgres.ci).toBe('15 and 16 (postgres:15-alpine, matrix)');
    const old = rows(ciFromWorkflow(), {
      report: report(database(), { server: { host: 'h', port: 1, version: '14.9', major: 14, embedded: false } }),
      plan: TWO_STEP,
    });
    expect(old.postgres.status).toBe('error');
    const newer = rows(ciFromWorkflow(), {
      report: report(database(), { server: { host: 'h', port: 1, version: '17.0', major: 17, embedded: true } }),
      plan: TWO_STEP,
    });
    expect(newer.postgres).toMatchObject({ status: 'warn', local: '17.0 (bundled)' });
    const down = rows(ciFromWorkflow(), { report: report(null, { server: { host: 'h', port: 1, version: null, major: null, embedded: false } }), plan: null });
    expect(down.postgres.status).toBe('error');
    expect(down.roles.status).toBe('warn');
  });

  it('a CI role the profile does not list: checked against the server\u2019s roles when known', () => {
    const ci = ciFromWorkflow({ roles: ['app_user', 'app_rw', 'app_ro', 'reporting'] });
    const unknown = rows(ci, { report: report(database()), plan: TWO_STEP });
    expect(unknown.roles.status).toBe('warn');
    expect(unknown.roles.note).toMatch(/CI creates reporting; not checked here/);
    const missing = rows(ci, { report: report(database()), plan: TWO_STEP, serverRoles: ['postgres', 'app_user', 'app_rw', 'app_ro'] });
    expect(missing.roles.status).toBe('error');
    expect(missing.roles.note).toMatch(/which the profile does not list: bootstrap will not create it/);
    // The diagnosis's own reading of the server's roles judges the same way (the app's live matrix and a saved one agree).
    const fromReport = rows(ci, { report: report({ ...database(), serverRoles: ['postgres', 'app_user', 'app_rw', 'app_ro'] }), plan: TWO_STEP });
    expect(fromReport.roles).toEqual(missing.roles);
    const present = rows(ci, { report: report({ ...database(), serverRoles: ['postgres', 'app_user', 'app_rw', 'app_ro', 'reporting'] }), plan: TWO_STEP });
    expect(present.roles.local).toContain('reporting');
  });

  it('a different database name is an error', () => {
    const r = rows(ciFromWorkflow({ database: 'ci_db' }), { report: report(database()), plan: TWO_STEP });
    expect(r.database.status).toBe('error');
    expect(r.database.note).toBe('CI uses ci_db; the profile uses skeldir_validation.');
  });

  it('before any diagnosis every row says so', () => {
    const result = compareCiWithLocal(ciFromWorkflow(), { report: null, plan: null });
    expect(result.filter((r) => r.local === 'not checked yet').map((r) => r.id)).toEqual(['postgres', 'roles', 'database', 'tables', 'guc']);
  });
});

describe('CI from the profile', () => {
  it('states the guide\u2019s CI column and matches a healthy machine', () => {
    const ci = ciExpectationsFromProfile(SKELDIR_PROFILE, ['no workflows']);
    expect(ci).toMatchObject({
      source: 'profile',
      postgresMajor: 15,
      postgresImage: 'postgres:15-alpine',
      database: 'skeldir_validation',
      platform: 'ubuntu-latest',
    });
    expect(ci.notes[0]).toBe('no workflows');
    const result = compareCiWithLocal(ci, {
      report: report(database(), { gates: [r5('passed')] }),
      plan: TWO_STEP,
      validationSuites: SKELDIR_PROFILE.validationSuites,
    });
    expect(result.every((r) => r.status === 'ok')).toBe(true);
  });

  it('pytestPaths reads files, cd prefixes and selectors', () => {
    expect(pytestPaths('cd ./backend && pytest tests/a.py::test_x -k "slow and not db" -v tests/b.py')).toEqual(['backend/tests/a.py', 'backend/tests/b.py']);
    expect(pytestPaths('python -m pytest ../x.py')).toEqual(['x.py']);
    expect(pytestPaths('echo hi')).toEqual([]);
  });
});
