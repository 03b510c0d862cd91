import { BUNDLE_FORMAT, BUNDLE_VERSION, type DiagnosticBundle } from '../../../shared/bundle/bundle';
import { ciExpectationsFromProfile } from '../../../shared/parity/ci-expectations';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import type { RunReport } from '../../../shared/report/report';

/**
 * A small but complete diagnostic bundle for the renderer's unit tests: a three-revision
 * graph (base → a → b) at `a`, a last rebuild whose R4 and R5 kept log tails, and a
 * diagnosis that finds the roles missing.
 */
const server = { host: '10.0.0.7', port: 5432, version: '15.18', major: 15, embedded: false };

const lastRun: RunReport = {
  command: 'rebuild',
  startedAt: '2025-12-15T13:00:00.000Z',
  server,
  gates: [
    { id: 'E1', status: 'passed', durationMs: 50, steps: [{ id: 'server', title: 'Server', status: 'passed', detail: '15.18' }] },
    {
      id: 'R4',
      status: 'failed',
      durationMs: 900,
      steps: [{ id: 'upgrade-b', title: 'alembic upgrade b', status: 'failed', detail: 'role "app_rw" does not exist' }],
      details: { log: ['Running upgrade a -> b', 'psycopg2.errors.UndefinedObject: role "app_rw" does not exist'], ran: ['base', 'a'] },
    },
    {
      id: 'R5',
      status: 'failed',
      durationMs: 400,
      steps: [{ id: 'suite-1', title: 'pytest tests/test_x.py', status: 'failed', detail: 'collection error' }],
      details: { suites: [{ suite: 'tests/test_x.py', outcome: 'error', outputTail: ['E   ImportError: no module named x', '1 error'], cases: [] }] },
    },
  ],
  findings: [
    {
      id: 'FM2',
      severity: 'error',
      title: 'Migrations ran before bootstrap',
      evidence: 'role "app_rw" does not exist',
      remediation: { action: 'run-bootstrap', label: 'Run bootstrap' },
    },
  ],
  database: null,
};

export function sampleBundle(change: (b: DiagnosticBundle) => void = () => undefined): DiagnosticBundle {
  const bundle: DiagnosticBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: '2025-12-15T14:00:00.000Z',
    app: { name: 'skeldir-rebuild', version: '0.1.0' },
    profile: { name: SKELDIR_PROFILE.name, database: 'skeldir_validation' },
    server,
    report: {
      command: 'report',
      startedAt: '2025-12-15T14:00:00.000Z',
      server,
      gates: [{ id: 'E1', status: 'passed', durationMs: 70, steps: [{ id: 'roles', title: 'Roles', status: 'failed', detail: 'missing: app_rw' }] }],
      findings: [
        {
          id: 'ROLES-MISSING',
          severity: 'error',
          title: 'Roles are missing',
          evidence: 'Missing roles: app_rw.',
          remediation: { action: 'run-bootstrap', label: 'Run bootstrap' },
        },
      ],
      database: null,
    },
    lastRun,
    graph: {
      revisions: [
        { id: 'base', downRevisions: [], dependsOn: [], dependencies: [], branchLabels: [], message: 'Baseline', file: 'alembic/versions/base.py' },
        { id: 'a', downRevisions: ['base'], dependsOn: [], dependencies: [], branchLabels: ['core'], message: 'Tables', file: 'alembic/versions/a.py' },
        { id: 'b', downRevisions: ['a'], dependsOn: [], dependencies: [], branchLabels: [], message: 'Grants', file: 'alembic/versions/b.py' },
      ],
      heads: ['b'],
      bases: ['base'],
      errors: [{ kind: 'parse', message: 'alembic/versions/broken.py could not be read', file: 'alembic/versions/broken.py' }],
    },
    overlay: {
      states: { base: 'applied', a: 'current', b: 'pending' },
      currentRows: ['a'],
      unknownRows: [],
      applied: ['base', 'a'],
      pending: ['b'],
      unreachedHeads: ['b'],
      summary: 'at a; b not applied',
    },
    plan: { target: 'core@head', source: 'profile', steps: [{ target: 'b', revisions: ['b'] }] },
    parity: [{ id: 'roles', component: 'Roles', ci: 'app_rw', local: 'none', status: 'error', note: 'Missing: app_rw.' }],
    ci: ciExpectationsFromProfile(SKELDIR_PROFILE),
    prerequisites: null,
    environment: {
      postgresVersion: '15.18',
      extensions: [],
      roles: [],
      grants: [],
      databaseSettings: {},
      alembicVersion: ['a'],
      migrationFilesHash: null,
      migrationFiles: {},
    },
    notes: [],
  };
  change(bundle);
  return bundle;
}
