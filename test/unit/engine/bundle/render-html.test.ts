import { describe, expect, it } from 'vitest';
import { renderBundleHtml } from '../../../../electron/engine/bundle/render-html';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type DiagnosticBundle } from '../../../../shared/bundle/bundle';
import { ciExpectationsFromProfile } from '../../../../shared/parity/ci-expectations';
import type { SuiteEnvironment } from '../../../../shared/parity/suite-environment';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';

/** The HTML report shows R5's environment per suite from the last run, escaped, with each value's source. */
const SERVER = { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: false };
const ENVIRONMENT: SuiteEnvironment = {
  suite: 'backend/tests/test_a.py',
  source: 'workflow',
  step: '.github/workflows/ci.yml, job "celery-foundation", step "Run Celery foundation tests"',
  workingDirectory: 'backend',
  pytestArgument: 'tests/test_a.py',
  variables: [
    {
      name: 'CELERY_BROKER_URL',
      value: 'sqla+postgresql://app_user:***@127.0.0.1:5432/skeldir_validation',
      source: 'ci.yml, job "celery-foundation" env (rewritten to the local database)',
    },
  ],
  unsetFromCi: [],
  notes: ['<script>not code</script>'],
};

function bundle(): DiagnosticBundle {
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: '2025-12-15T14:00:00.000Z',
    app: { name: 'skeldir-rebuild', version: '0.1.0' },
    profile: { name: SKELDIR_PROFILE.name, database: 'skeldir_validation' },
    server: SERVER,
    report: { command: 'report', startedAt: '2025-12-15T14:00:00.000Z', server: SERVER, gates: [], findings: [], database: null },
    lastRun: {
      command: 'rebuild',
      startedAt: '2025-12-15T13:00:00.000Z',
      server: SERVER,
      gates: [{ id: 'R5', status: 'passed', durationMs: 900, steps: [], details: { suites: [], environments: [ENVIRONMENT] } }],
      findings: [],
      database: null,
    },
    graph: null,
    overlay: null,
    plan: null,
    parity: [],
    ci: ciExpectationsFromProfile(SKELDIR_PROFILE),
    prerequisites: null,
    environment: {
      postgresVersion: '15.18',
      extensions: [],
      roles: [],
      grants: [],
      databaseSettings: {},
      alembicVersion: [],
      migrationFilesHash: 'a'.repeat(64),
      migrationFiles: {},
    },
    notes: [],
  };
}

describe('the HTML report', () => {
  it('has a table per suite under the parity matrix', () => {
    const html = renderBundleHtml(bundle());
    expect(html).toContain('R5\u2019s environment per suite');
    expect(html).toContain('<table data-suite-environment="backend/tests/test_a.py">');
    expect(html).toContain(
      '<td><code>CELERY_BROKER_URL</code></td><td><code>sqla+postgresql://app_user:***@127.0.0.1:5432/skeldir_validation</code></td><td>ci.yml, job &quot;celery-foundation&quot; env (rewritten to the local database)</td>',
    );
    expect(html).toContain('run from backend/');
    expect(html).not.toContain('<script>not code</script>');
  });
});
