import { describe, expect, it } from 'vitest';
import { renderBundleHtml } from '../../../../electron/engine/bundle/render-html';
import type { DiagnosticBundle } from '../../../../shared/bundle/bundle';
import type { SuiteEnvironment } from '../../../../shared/parity/suite-environment';
import { sampleBundle } from '../../renderer/sample-bundle';

/** The server the sample's last run and report were made on. */
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

/** The shared sample bundle, with a last run whose R5 kept its environment per suite, and a report that asks for nothing yet. */
function bundle(): DiagnosticBundle {
  return sampleBundle((b) => {
    b.report = { command: 'report', startedAt: '2025-12-15T14:00:00.000Z', server: SERVER, gates: [], findings: [], database: null };
    b.lastRun = {
      command: 'rebuild',
      startedAt: '2025-12-15T13:00:00.000Z',
      server: SERVER,
      gates: [{ id: 'R5', status: 'passed', durationMs: 900, steps: [], details: { suites: [], environments: [ENVIRONMENT] } }],
      findings: [],
      database: null,
    };
  });
}

/** The saved HTML report: R5's environment per suite, and both fronts' way to take an action a message asks for. */
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

  it('tells support staff how to take the action a finding, a step or an error asks for, in the app and on the command line', () => {
    const withActions = bundle();
    withActions.report.findings = [
      {
        id: 'STEP-FAILED',
        severity: 'error',
        title: 'E1 Diagnosis: \u201cPython interpreter\u201d failed',
        evidence: 'Cannot run "C:\\Py 3\\python.exe".',
        remediation: null,
        action: 'choose-python',
      },
    ];
    withActions.report.gates = [
      {
        id: 'E2',
        status: 'passed',
        durationMs: 5,
        steps: [
          {
            id: 'drop-database',
            title: 'Drop existing database',
            status: 'passed',
            detail: 'a safety snapshot was taken first: it can be restored',
            action: 'restore-snapshot',
            actionTarget: 'skeldir_validation__snap_20251215140000',
          },
        ],
      },
    ];
    const html = renderBundleHtml(withActions);
    expect(html).toContain(
      '<div class="how-to">In the app: In Setup, choose the Python interpreter. On the command line: <code>pass --python PATH</code></div>',
    );
    expect(html).toContain(
      'In the app: In Snapshots, click Restore\u2026 beside it. On the command line: <code>skeldir-rebuild restore skeldir_validation__snap_20251215140000; skeldir-rebuild snapshots lists them</code>',
    );
    const fixable = bundle();
    fixable.report.findings = [
      {
        id: 'ROLES-MISSING',
        severity: 'error',
        title: 'Roles are missing',
        evidence: 'Missing roles: app_user.',
        remediation: { action: 'run-bootstrap', label: 'Run bootstrap' },
      },
    ];
    expect(renderBundleHtml(fixable)).toContain(
      '<div class="fix">Fix: Run bootstrap. In the app: the button of that name on this finding, in Findings. On the command line: <code>skeldir-rebuild fix ROLES-MISSING</code></div>',
    );
    // A message that asks for nothing gets no how-to line.
    expect(renderBundleHtml(bundle())).not.toContain('class="how-to"');
  });
});
